package dev.rcon.common.msg;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.ProtocolException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The streaming codec against the databind codec it replaced, message by message. */
@Timeout(30)
class StreamingCodecMatchesDatabindTest {
    private final MessageCodec codec = MessageCodec.shared();
    private final DatabindReference reference = new DatabindReference();

    static List<Message> everyKind() {
        byte[] bytes = "pay\u0000load".getBytes(UTF_8);
        return List.of(
                new Hello("rcon-agent/0.1", "web01", "root", "0123abcd", 16),
                Exec.shell(1, "echo \"quoted\" \\ and \u00e9 and \u0001"),
                new Exec(2, null, List.of("ls", "-l", "/"), "/tmp", Map.of("A", "1"), 5000L, true,
                        new Pty("xterm-256color", 80, 24)),
                new Exec(3, "top", null, null, null, null, false),
                new Started(1, 4242L),
                new Stdout(1, bytes), new Stderr(2, new byte[0]),
                new Exit(1, 3, null, false, 7, 262, 5), new Exit(1, null, "KILL", true, 0, 0, 0),
                new Stdin(1, null, bytes), new Stdin(1, true, new byte[0]),
                new Signal(1, SignalName.INT), new Resize(1, 132, 43),
                new Put(1, "/etc/x", 10L, "0644"), new Put(1, "/etc/y", 0L, "0700"),
                new Data(1, null, null, bytes), new Data(1, true, "ab".repeat(32), new byte[0]),
                new Get(1, "/var/log/syslog"), new FileInfo(1, 99L, "0600"), new Done(1, 99L, "cd".repeat(32)),
                new Window(1, 1 << 20), new Ping(1), new Pong(1), new Close(),
                new ErrorReply(null, ErrorCode.BAD_REQUEST, "no"), new ErrorReply(4, ErrorCode.DENIED, "key may not"),
                new Keys(1, Keys.LIST, null, null),
                new KeyList(1, List.of(new KeyList.Entry("0a0b", "ops", ""), new KeyList.Entry("ff", "ci", "no-pty"))));
    }

    @Test
    void everyKindOfMessageEncodesToTheSameBytesAndDecodesBack() throws Exception {
        Set<MessageType> seen = EnumSet.noneOf(MessageType.class);
        for (Message m : everyKind()) {
            seen.add(m.type());
            byte[] header = codec.encode(m);
            assertEquals(databindBytes(m), new String(header, UTF_8));
            byte[] payload = MessageCodec.payloadOf(m);
            Message back = codec.decode(header, payload);
            assertEquals(new String(header, UTF_8), new String(codec.encode(back), UTF_8));
            assertArrayEquals(payload, MessageCodec.payloadOf(back));
        }
        assertEquals(EnumSet.allOf(MessageType.class), seen);
    }

    /**
     * What databind wrote, less its one deviation: it took the {@code isEof()} of stdin and data
     * for the field and wrote {@code "eof":false} on every such record; the streaming codec leaves
     * it out, as RCON1.md's example {@code {"type":"stdin","id":1}} does. Decoders accept both.
     */
    private String databindBytes(Message m) {
        String theirs = new String(reference.encode(m), UTF_8);
        boolean eofFalse = m instanceof Stdin s && !s.isEof() || m instanceof Data d && !d.isEof();
        return eofFalse ? theirs.replace(",\"eof\":false", "") : theirs;
    }

    /**
     * Where databind was wrong and the streaming codec is stricter: databind read a number as an
     * enum's ordinal, so {@code "signal":2} became QUIT (ordinal 2), not INT (signal 2).
     */
    private static final Set<String> DATABIND_WAS_LENIENT = Set.of("{\"type\":\"signal\",\"id\":1,\"signal\":2}");

    /** Headers a hostile or broken peer might send, and good ones with odd spellings. */
    static List<String> headers() {
        List<String> all = new ArrayList<>(List.of(
                "", " ", "null", "[]", "[1,2]", "\"exec\"", "5", "true", "{", "{}", "{\"type\":", "{\"type\":\"close\"} {}",
                "{\"type\":\"close\"}", "{ \"type\" : \"close\" }\n", "{\"type\":null}", "{\"type\":5}", "{\"type\":\"nope\",\"id\":3}",
                "{\"id\":1}", "{\"type\":\"ping\",\"id\":1,\"id\":2}", "{\"type\":\"ping\",\"id\":0}", "{\"type\":\"ping\",\"id\":-1}",
                "{\"type\":\"ping\",\"id\":1.0}", "{\"type\":\"ping\",\"id\":1e3}", "{\"type\":\"ping\",\"id\":\"1\"}",
                "{\"type\":\"ping\",\"id\":null}", "{\"type\":\"ping\"}", "{\"type\":\"ping\",\"id\":2147483647}",
                "{\"type\":\"ping\",\"id\":2147483648}", "{\"type\":\"ping\",\"id\":" + "9".repeat(21) + "}",
                "{\"type\":\"ping\",\"id\":NaN}", "{\"type\":\"ping\",\"id\":1,\"x\":null}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"true\",\"user\":\"root\"}",
                "{\"type\":\"exec\",\"id\":1,\"command\":5}", "{\"type\":\"exec\",\"id\":1,\"command\":null,\"argv\":[\"a\"]}",
                "{\"type\":\"exec\",\"id\":1,\"argv\":[]}", "{\"type\":\"exec\",\"id\":1,\"argv\":[1]}", "{\"type\":\"exec\",\"id\":1,\"argv\":\"ls\"}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"env\":{\"A\":\"1\",\"B\":null}}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"env\":{\"A=\":\"1\"}}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"env\":[]}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"timeout_ms\":0}", "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"timeout_ms\":\"5\"}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"stdin\":1}", "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"stdin\":\"true\"}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"cwd\":\"rel\"}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"pty\":{\"term\":\"vt100\",\"cols\":80,\"rows\":24,\"mode\":1}}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"pty\":{\"term\":\"vt100\",\"cols\":80}}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"pty\":\"xterm\"}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"env\":" + "{\"a\":".repeat(8) + "1" + "}".repeat(8) + "}",
                "{\"type\":\"signal\",\"id\":1,\"signal\":\"USR1\"}", "{\"type\":\"signal\",\"id\":1,\"signal\":\"int\"}",
                "{\"type\":\"signal\",\"id\":1,\"signal\":2}", "{\"type\":\"signal\",\"id\":1,\"signal\":\"TERM\"}",
                "{\"type\":\"error\",\"id\":null,\"code\":\"denied\",\"message\":\"m\"}", "{\"type\":\"error\",\"code\":\"what\",\"message\":\"m\"}",
                "{\"type\":\"exit\",\"id\":1,\"code\":0,\"signal\":null,\"timed_out\":\"no\",\"duration_ms\":1,\"stdout_bytes\":0,\"stderr_bytes\":0}",
                "{\"type\":\"exit\",\"id\":1,\"code\":0,\"signal\":null,\"timed_out\":null,\"duration_ms\":1,\"stdout_bytes\":0,\"stderr_bytes\":0}",
                "{\"type\":\"exit\",\"id\":1,\"code\":0}", "{\"type\":\"started\",\"id\":1,\"pid\":-5}",
                "{\"type\":\"window\",\"id\":1,\"bytes\":0}", "{\"type\":\"window\",\"id\":1,\"bytes\":2147483648}",
                "{\"type\":\"hello\",\"agent\":\"a\",\"host\":\"h\",\"user\":\"u\",\"session\":\"s\",\"max_channels\":0}",
                "{\"type\":\"key_list\",\"id\":1,\"keys\":[{\"kid\":\"a\",\"name\":\"n\"}]}",
                "{\"type\":\"key_list\",\"id\":1,\"keys\":[{\"kid\":\"a\",\"name\":\"n\",\"options\":\"\",\"x\":1}]}",
                "{\"type\":\"keys\",\"id\":1,\"op\":\"list\"}", "{\"type\":\"keys\",\"id\":1,\"op\":\"drop\"}",
                "{\"type\":\"close\",\"id\":1}", "{\"type\":\"exec\",\"id\":1,\"argv\":[null]}",
                "{\"type\":\"exec\",\"id\":1,\"argv\":[\"ls\",null]}", "{\"type\":\"key_list\",\"id\":1,\"keys\":[null]}",
                "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"pty\":null}", "{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"env\":null}", "{\"type\":\"resize\",\"id\":1,\"cols\":\"80\",\"rows\":5}"));
        for (Message m : everyKind()) {
            all.add(new String(MessageCodec.shared().encode(m), UTF_8));
        }
        return all;
    }

    @Test
    void everyHeaderDecodesOrFailsAsTheDatabindCodecDid() {
        for (String header : headers()) {
            byte[] bytes = header.getBytes(UTF_8);
            Object ours = outcome(() -> codec.decode(bytes, new byte[0]));
            Object theirs = outcome(() -> reference.decode(bytes, new byte[0]));
            if (DATABIND_WAS_LENIENT.contains(header)) {
                assertTrue(ours instanceof BadRequestException && theirs instanceof Message, header + ": " + ours);
                continue;
            }
            if (ours instanceof Message m && theirs instanceof Message r) {
                assertEquals(databindBytes(r), new String(codec.encode(m), UTF_8), header);
            } else if (ours instanceof BadRequestException m && theirs instanceof BadRequestException r) {
                assertEquals(r.requestId(), m.requestId(), header);
                if (r.getMessage().endsWith(": null")) {
                    // databind let a constructor's NullPointerException through as "exec: null"
                    assertTrue(m.getMessage().contains("must not hold null"), header + ": " + m.getMessage());
                } else if (r.getMessage().startsWith("bad ")) {
                    assertTrue(m.getMessage().startsWith(r.getMessage().substring(0, r.getMessage().indexOf(':') + 1)),
                            header + ": " + m.getMessage() + " / " + r.getMessage());
                } else {
                    assertEquals(r.getMessage(), m.getMessage(), header);
                }
            } else {
                assertEquals(theirs.getClass(), ours.getClass(), header + ": ours " + ours + ", databind's " + theirs);
            }
        }
    }

    private interface Decode {
        Message run() throws ProtocolException;
    }

    private static Object outcome(Decode decode) {
        try {
            return decode.run();
        } catch (ProtocolException | RuntimeException e) {
            return e;
        }
    }
}
