package dev.rcon.common.msg;

/** Console to agent: send me the file at {@code path}. */
public record Get(Integer id, String path) implements Message {

    public Get {
        Message.checkId(id);
        Exec.checkAbsolute("path", path);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.GET;
    }
}
