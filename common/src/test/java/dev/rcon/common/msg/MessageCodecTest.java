package dev.rcon.common.msg;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MessageCodecTest {
    private final MessageCodec codec = MessageCodec.shared();

    private Message decode(String json) throws ProtocolException {
        return codec.decode(json.getBytes(UTF_8), new byte[0]);
    }

    private BadRequestException badRequest(String json) {
        return assertThrows(BadRequestException.class, () -> decode(json));
    }

    @Test
    void everyTypeRoundTripsThroughItsWireName() throws Exception {
        List<Message> all = List.of(
                new Hello("rcon-agent/1", "h", "u", "0011223344556677", 32),
                new Exec(2, null, List.of("ls", "-l"), "/tmp", Map.of("A", "b"), 5000L, true),
                new Started(2, 42), new Stdout(2, new byte[] {1}), new Stderr(2, new byte[] {2}),
                new Exit(2, null, "KILL", true, 5, 1, 2), Stdin.eof(2), new Signal(2, SignalName.INT),
                new Resize(6, 132, 50),
                new Put(3, "/a", 10L, "0644"), Data.last(3, "0".repeat(64)), new Get(4, "/b"),
                new FileInfo(4, 10, "0600"), new Done(4, 10, "f".repeat(64)), new Window(4, 65536), new Ping(5), new Pong(5),
                new Close(), new ErrorReply(null, ErrorCode.BUSY, "too many"), Keys.remove(7, "0".repeat(32)),
                new KeyList(7, List.of(new KeyList.Entry("0".repeat(32), "ops", "from=\"10.0.0.0/8\""))));
        assertEquals(MessageType.values().length, all.size());
        for (Message m : all) {
            byte[] header = codec.encode(m);
            String json = new String(header, UTF_8);
            assertEquals(true, json.startsWith("{\"type\":\"" + m.type().wireName() + "\""), json);
            Message back = codec.decode(header, MessageCodec.payloadOf(m));
            assertEquals(m.type(), back.type());
            assertEquals(json, new String(codec.encode(back), UTF_8));
        }
    }

    @Test
    void execWithAPtyRoundTripsAndImpliesStdin() throws Exception {
        String json = "{\"type\":\"exec\",\"id\":6,\"command\":\"top\","
                + "\"pty\":{\"term\":\"xterm-256color\",\"cols\":80,\"rows\":24}}";
        Exec exec = (Exec) decode(json);
        assertEquals(new Pty("xterm-256color", 80, 24), exec.pty());
        assertTrue(exec.wantsStdin());
        assertEquals(json, new String(codec.encode(exec), UTF_8));
        assertEquals(null, ((Exec) decode("{\"type\":\"exec\",\"id\":6,\"command\":\"top\"}")).pty());
    }

    @Test
    void aPtyNeedsAPlainTermNameAndASizeWithinTheLimits() throws Exception {
        String head = "{\"type\":\"exec\",\"id\":6,\"command\":\"top\",\"pty\":";
        assertEquals("exec: pty term must be 1 to 64 characters of A-Z a-z 0-9 . _ + - but was '../x'",
                badRequest(head + "{\"term\":\"../x\",\"cols\":80,\"rows\":24}}").getMessage());
        assertEquals("exec: pty term must be 1 to 64 characters of A-Z a-z 0-9 . _ + - but was 'a?[2J'",
                badRequest(head + "{\"term\":\"a\\u001b[2J\",\"cols\":80,\"rows\":24}}").getMessage());
        badRequest(head + "{\"term\":\"\",\"cols\":80,\"rows\":24}}");
        badRequest(head + "{\"term\":\"" + "x".repeat(65) + "\",\"cols\":80,\"rows\":24}}");
        decode6(head + "{\"term\":\"" + "x".repeat(64) + "\",\"cols\":10000,\"rows\":1}}");
        assertEquals("exec: cols must be 1 to 10000 but was 0",
                badRequest(head + "{\"term\":\"vt100\",\"cols\":0,\"rows\":24}}").getMessage());
        assertEquals("exec: rows must be 1 to 10000 but was 10001",
                badRequest(head + "{\"term\":\"vt100\",\"cols\":80,\"rows\":10001}}").getMessage());
        assertEquals("exec: missing field 'rows'",
                badRequest(head + "{\"term\":\"vt100\",\"cols\":80}}").getMessage());
        assertEquals("unknown field 'mode' in exec",
                badRequest(head + "{\"term\":\"vt100\",\"cols\":80,\"rows\":24,\"mode\":1}}").getMessage());
        badRequest(head + "\"xterm\"}");
    }

    private void decode6(String json) throws ProtocolException {
        assertEquals(6, decode(json).requestId());
    }

    @Test
    void resizeNeedsBothSidesWithinTheLimits() throws Exception {
        assertEquals(new Resize(1, 1, 10000), decode("{\"type\":\"resize\",\"id\":1,\"cols\":1,\"rows\":10000}"));
        assertEquals("resize: cols must be 1 to 10000 but was 10001",
                badRequest("{\"type\":\"resize\",\"id\":1,\"cols\":10001,\"rows\":5}").getMessage());
        assertEquals("resize: missing field 'rows'", badRequest("{\"type\":\"resize\",\"id\":1,\"cols\":5}").getMessage());
        badRequest("{\"type\":\"resize\",\"id\":1,\"cols\":-1,\"rows\":5}");
        badRequest("{\"type\":\"resize\",\"id\":1,\"cols\":\"80\",\"rows\":5}");
    }

    @Test
    void unknownFieldIsABadRequestNamingTheFieldAndKeepingTheId() {
        BadRequestException e = badRequest("{\"type\":\"exec\",\"id\":7,\"command\":\"true\",\"user\":\"root\"}");
        assertEquals("unknown field 'user' in exec", e.getMessage());
        assertEquals(7, e.requestId());
    }

    @Test
    void unknownOrMissingTypeIsABadRequest() {
        assertEquals("unknown type 'launch'", badRequest("{\"type\":\"launch\",\"id\":1}").getMessage());
        assertEquals("missing field 'type'", badRequest("{\"id\":1}").getMessage());
    }

    @Test
    void execNeedsExactlyOneOfCommandAndArgv() {
        assertEquals("exec: exec needs exactly one of 'command' and 'argv'",
                badRequest("{\"type\":\"exec\",\"id\":1,\"command\":\"a\",\"argv\":[\"b\"]}").getMessage());
        assertEquals("exec: exec needs exactly one of 'command' and 'argv'",
                badRequest("{\"type\":\"exec\",\"id\":1}").getMessage());
    }

    @Test
    void aNulByteInAnythingAProgramIsGivenIsABadRequest() {
        assertEquals("exec: argv[2] holds a NUL byte, which no program's argument can",
                badRequest("{\"type\":\"exec\",\"id\":1,\"argv\":[\"/bin/echo\",\"a\",\"\\u0000env\"]}").getMessage());
        assertEquals("exec: command holds a NUL byte, which no program's argument can",
                badRequest("{\"type\":\"exec\",\"id\":1,\"command\":\"echo \\u0000\"}").getMessage());
        assertEquals("exec: env X holds a NUL byte, which no variable's value can",
                badRequest("{\"type\":\"exec\",\"id\":1,\"command\":\"true\",\"env\":{\"X\":\"a\\u0000b\"}}")
                        .getMessage());
    }

    @Test
    void aBadIdIsNeverEchoedAsTheRequestsId() {
        assertEquals(null, badRequest("{\"type\":\"ping\",\"id\":0}").requestId());
        assertEquals(null, badRequest("{\"type\":\"exec\",\"id\":-5,\"command\":\"true\"}").requestId());
    }

    @Test
    void windowMustGrantAtLeastOneByte() {
        assertEquals("window: window bytes must be at least 1 but was 0",
                badRequest("{\"type\":\"window\",\"id\":1,\"bytes\":0}").getMessage());
        badRequest("{\"type\":\"window\",\"id\":1}");
    }

    /**
     * A window past 2^31-1 is well-formed: RCON1.md 4.1 makes it a protocol error for a channel in
     * flight (the receiver's SendWindow says so) and ignored for any other id, never a bad request.
     */
    @Test
    void aWindowPastTheMaximumDecodesSoTheReceiverCanJudgeIt() throws Exception {
        assertEquals(new Window(1, 2147483648L),
                codec.decode("{\"type\":\"window\",\"id\":1,\"bytes\":2147483648}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        new byte[0]));
        // Past what a long holds it still would make the window larger than 2^31-1 (RCON1.md 4.1).
        assertEquals(new Window(1, Long.MAX_VALUE),
                codec.decode("{\"type\":\"window\",\"id\":1,\"bytes\":99999999999999999999}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), new byte[0]));
        badRequest("{\"type\":\"window\",\"id\":1,\"bytes\":-99999999999999999999}");
    }

    @Test
    void idsOutsideTheirRangeAreRejected() {
        assertEquals("ping: id must be 1 to 2147483647 but was 0", badRequest("{\"type\":\"ping\",\"id\":0}").getMessage());
        badRequest("{\"type\":\"ping\",\"id\":2147483648}");
        badRequest("{\"type\":\"ping\",\"id\":\"5\"}");
        badRequest("{\"type\":\"ping\",\"id\":1.5}");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThrows(ProtocolException.class, () -> decode("{\"type\":\"ping\",\"id\":1,\"id\":2}"));
    }

    @Test
    void aHeaderThatIsNotOneJsonObjectFailsTheSession() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode("[1,2]"));
        assertInstanceOf(ProtocolException.class, e);
        assertEquals("expected a JSON object header but got array", e.getMessage());
        assertThrows(ProtocolException.class, () -> decode("{\"type\":"));
        assertThrows(ProtocolException.class, () -> decode("{\"type\":\"close\"} {}"));
        assertThrows(ProtocolException.class, () -> decode("[".repeat(100)));
    }

    @Test
    void aPayloadOnATypeWithoutOneIsABadRequest() {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> codec.decode("{\"type\":\"ping\",\"id\":3}".getBytes(UTF_8), new byte[] {1, 2}));
        assertEquals("ping carries no payload but got 2 bytes", e.getMessage());
    }

    @Test
    void signalNamesOutsideTheListAreRejected() {
        badRequest("{\"type\":\"signal\",\"id\":1,\"signal\":\"USR1\"}");
        // The databind codec read a number as the enum's ordinal: 2 was QUIT, not signal 2 (INT).
        assertEquals("bad signal: 'signal' must be a string but got a number",
                badRequest("{\"type\":\"signal\",\"id\":1,\"signal\":2}").getMessage());
    }

    @Test
    void limitsAndStrictTypesHoldOnTheSharedCodec() {
        String deep = "{\"a\":".repeat(8) + "1" + "}".repeat(8);
        ProtocolException tooDeep = assertThrows(ProtocolException.class,
                () -> decode("{\"type\":\"exec\",\"id\":1,\"command\":\"x\",\"env\":" + deep + "}"));
        assertEquals(true, tooDeep.getMessage().contains("nesting depth"), tooDeep.getMessage());
        ProtocolException longNumber = assertThrows(ProtocolException.class,
                () -> decode("{\"type\":\"ping\",\"id\":" + "1".repeat(21) + "}"));
        assertEquals(true, longNumber.getMessage().contains("Number value length"), longNumber.getMessage());
        assertEquals("bad exec: 'command' must be a string but got a number",
                badRequest("{\"type\":\"exec\",\"id\":1,\"command\":5}").getMessage());
        assertEquals("bad ping: 'id' must be an integer but got a string",
                badRequest("{\"type\":\"ping\",\"id\":\"5\"}").getMessage());
        assertEquals("bad ping: 'id' must be -2147483648 to 2147483647 but was 2147483648",
                badRequest("{\"type\":\"ping\",\"id\":2147483648}").getMessage());
    }

    @Test
    void oneSharedCodecServesManyThreadsAtOnce() throws Exception {
        assertSame(MessageCodec.shared(), MessageCodec.shared());
        ExecutorService pool = Executors.newFixedThreadPool(4, Threads.factory("codec"));
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 10_000;
                results.add(pool.submit(() -> {
                    for (int i = 1; i <= 2_000; i++) {
                        Exec exec = Exec.shell(base + i, "echo " + i);
                        Message back = MessageCodec.shared().decode(MessageCodec.shared().encode(exec), new byte[0]);
                        if (!exec.equals(back)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
