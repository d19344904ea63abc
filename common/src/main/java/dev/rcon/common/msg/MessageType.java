package dev.rcon.common.msg;

/** Every record type of rcon/1, with its wire name and the record that holds it. */
public enum MessageType {
    HELLO("hello", Hello.class),
    EXEC("exec", Exec.class),
    STARTED("started", Started.class),
    STDOUT("stdout", Stdout.class),
    STDERR("stderr", Stderr.class),
    EXIT("exit", Exit.class),
    STDIN("stdin", Stdin.class),
    SIGNAL("signal", Signal.class),
    RESIZE("resize", Resize.class),
    PUT("put", Put.class),
    DATA("data", Data.class),
    GET("get", Get.class),
    FILE("file", FileInfo.class),
    DONE("done", Done.class),
    WINDOW("window", Window.class),
    PING("ping", Ping.class),
    PONG("pong", Pong.class),
    CLOSE("close", Close.class),
    ERROR("error", ErrorReply.class),
    /** Project extension: key management (docs/PROTOCOL.md). */
    KEYS("keys", Keys.class),
    KEY_LIST("key_list", KeyList.class);

    private final String wireName;
    private final Class<? extends Message> type;

    MessageType(String wireName, Class<? extends Message> type) {
        this.wireName = wireName;
        this.type = type;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends Message> type() {
        return type;
    }
}
