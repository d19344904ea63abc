package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Structured fuzzing of the wire against a real agent, by an authenticated console (mutated
 * headers; well-formed records out of order) and by an unauthenticated peer (mutated M1s).
 * Headers are valid requests and channel records mutated field by field (dropped, duplicated,
 * wrong kinds, edge numbers, deep nesting, invalid UTF-8, NUL, truncation, out-of-order types),
 * each after a valid request it may hit. Every case must end in an answer (a pong after any
 * errors, none of them internal) or the close of that one connection, and a well-behaved
 * console beside it goes on being served. The seed and count are fixed;
 * {@code -Dfuzz.seed=N -Dfuzz.cases=N -Dfuzz.verbose=true} explore further.
 */
@Timeout(120)
class WireFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 0x5eed_2026L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 400);
    private static final int PING_ID = 4242;

    @RegisterExtension
    final AgentExtension extension = new AgentExtension(c -> c.withKillGrace(java.time.Duration.ofMillis(200)));
    TestAgent agent;
    Path dir;

    @BeforeEach
    void start() throws IOException {
        agent = extension.get();
        dir = extension.dir();
        java.nio.file.Files.write(dir.resolve("source"), new byte[200_000]);
    }

    /** What one case saw: the records before the pong (or the close), and whether the session survived. */
    private record Outcome(List<String> seen, boolean answered) {
    }

    @Test
    void mutatedRecordsAreAnsweredOrEndOnlyTheirSessionWhileAnotherConsoleIsServed() throws Exception {
        Random random = new Random(SEED);
        HeaderMutator mutator = new HeaderMutator(random, dir);
        try (TestClient bystander = agent.connect()) {
            for (int i = 0; i < CASES; i++) {
                HeaderMutator.Case fuzz = mutator.next();
                Outcome outcome = play(fuzz);
                if (Boolean.getBoolean("fuzz.verbose")) {
                    System.out.println("FUZZ " + fuzz + "\n  -> " + outcome);
                }
                for (String record : outcome.seen()) {
                    assertFalse(record.contains("internal"), "case " + i + " " + fuzz + " got " + record
                            + "\n" + agent.log());
                }
                if (i % 40 == 39) {
                    assertEquals("ok\n", new String(bystander.run(Exec.shell(i + 1, "echo ok")).stdout(),
                            StandardCharsets.UTF_8), "the well-behaved console after case " + i);
                }
            }
            assertEquals("ok\n", new String(bystander.run(Exec.shell(100_000, "echo ok")).stdout(),
                    StandardCharsets.UTF_8));
        }
        assertFalse(agent.log().contains(" failed: "), agent.log());
    }

    /**
     * Well-formed records in orders no console should send them: for ids 1 to 3, requests
     * reused while in flight, input after its eof or for a get, signals and resizes before a
     * start or after an exit, windows for nothing, data past a put's size, pings between. Each
     * sequence ends with a ping that must be answered (or the session closed), never internal.
     */
    @Test
    void wellFormedRecordsOutOfOrderAreAnsweredOrEndOnlyTheirSession() throws Exception {
        Random random = new Random(SEED + 1);
        try (TestClient bystander = agent.connect()) {
            for (int i = 0; i < CASES / 4; i++) {
                List<Message> sequence = new ArrayList<>();
                int length = 2 + random.nextInt(10);
                for (int k = 0; k < length; k++) {
                    sequence.add(anyRecord(random, 1 + random.nextInt(3), i));
                }
                Outcome outcome = play(new HeaderMutator.Case("sequence " + i + " " + sequence,
                        sequence.stream().map(m -> new byte[][] {dev.rcon.common.msg.MessageCodec.shared().encode(m),
                            dev.rcon.common.msg.MessageCodec.payloadOf(m)}).toList()));
                for (String record : outcome.seen()) {
                    assertFalse(record.contains("internal"), "sequence " + i + " " + sequence + " got " + record);
                }
            }
            assertEquals("ok\n", new String(bystander.run(Exec.shell(1, "echo ok")).stdout(), StandardCharsets.UTF_8));
        }
        assertFalse(agent.log().contains(" failed: "), agent.log());
    }

    /**
     * An unauthenticated peer's M1, built with the agent's real kid (or a random one) and then
     * mutated: magic, version, lengths short, long and huge, the body cut off, random bytes.
     * Each must be denied (an empty frame) or closed, from an address of its own so that
     * penalties do not answer for the agent; a console goes on being served.
     */
    @Test
    void mutatedHandshakesAreDeniedOrClosedAndTheAgentServesOn() throws Exception {
        Random random = new Random(SEED + 2);
        byte[] kid = agent.key().kid();
        for (int i = 0; i < CASES / 4; i++) {
            java.nio.ByteBuffer m1 = java.nio.ByteBuffer.allocate(Limits.M1_LEN).put("RCON".getBytes(StandardCharsets.US_ASCII))
                    .put((byte) Limits.VERSION).put(random.nextBoolean() ? kid : randomBytes(random, Limits.KID_LEN));
            m1.put(randomBytes(random, m1.remaining()));
            byte[] body = m1.array();
            for (int flips = random.nextInt(4); flips > 0; flips--) {
                body[random.nextInt(5)] ^= (byte) (1 << random.nextInt(8));
            }
            int[] lengths = {Limits.M1_LEN, Limits.M1_LEN, 0, 1, Limits.M1_LEN - 1, Limits.M1_LEN + 1, 0x7fffffff, -1};
            int length = lengths[random.nextInt(lengths.length)];
            boolean cut = random.nextInt(5) == 0;
            InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, (byte) (30 + i / 250), (byte) (1 + i % 250)});
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), agent.port(), from, 0)) {
                socket.setSoTimeout(10_000);
                socket.getInputStream().readNBytes(4 + Limits.M0_LEN);
                java.io.OutputStream out = socket.getOutputStream();
                out.write(java.nio.ByteBuffer.allocate(4).putInt(length).array());
                out.write(body, 0, cut ? random.nextInt(body.length) : Math.min(body.length, Math.max(length, 0)));
                if (cut || length != Limits.M1_LEN) {
                    socket.shutdownOutput();
                }
                byte[] answer;
                try {
                    answer = socket.getInputStream().readAllBytes();
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("handshake case " + i + " (length " + length + ") neither denied nor closed", e);
                } catch (IOException e) {
                    answer = new byte[0];
                }
                assertTrue(answer.length == 0 || java.util.Arrays.equals(new byte[4], answer),
                        "handshake case " + i + " got " + java.util.HexFormat.of().formatHex(answer));
            }
        }
        try (TestClient good = agent.connect()) {
            assertEquals("ok\n", new String(good.run(Exec.shell(1, "echo ok")).stdout(), StandardCharsets.UTF_8));
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private Message anyRecord(Random random, int id, int serial) {
        String path = dir.resolve("seq-" + serial).toString();
        return switch (random.nextInt(14)) {
            case 0 -> new Exec(id, "cat", null, null, null, 5000L, true);
            case 1 -> new Exec(id, "echo hi", null, null, null, null, null,
                    new dev.rcon.common.msg.Pty("xterm", 80, 24));
            case 2 -> new Exec(id, null, List.of("sleep", "3"), null, null, 2000L, null);
            case 3 -> new dev.rcon.common.msg.Put(id, path, (long) random.nextInt(3), "0600");
            case 4 -> new dev.rcon.common.msg.Get(id, dir.resolve("source").toString());
            case 5 -> dev.rcon.common.msg.Data.chunk(id, new byte[random.nextInt(3)]);
            case 6 -> dev.rcon.common.msg.Data.last(id, "ab".repeat(32));
            case 7 -> dev.rcon.common.msg.Stdin.bytes(id, new byte[random.nextInt(100)]);
            case 8 -> dev.rcon.common.msg.Stdin.eof(id);
            case 9 -> new dev.rcon.common.msg.Signal(id, dev.rcon.common.msg.SignalName.values()[random.nextInt(5)]);
            case 10 -> new dev.rcon.common.msg.Resize(id, 1 + random.nextInt(10_000), 1 + random.nextInt(10_000));
            case 11 -> new dev.rcon.common.msg.Window(id, 1 + random.nextInt(1 << 20));
            case 12 -> dev.rcon.common.msg.Keys.list(id);
            default -> new Ping(id);
        };
    }

    /** Sends the case's setup and its mutated record, then a ping; reads until the pong or the end. */
    private Outcome play(HeaderMutator.Case fuzz) throws IOException {
        List<String> seen = new ArrayList<>();
        try (TestClient client = agent.connect()) {
            client.socket().setSoTimeout(10_000);
            try {
                for (byte[][] record : fuzz.records()) {
                    client.sendRecord(record[0], record[1]);
                }
                client.send(new Ping(PING_ID));
                while (true) {
                    Message m = client.receive();
                    if (m instanceof Pong p && p.id() == PING_ID) {
                        return new Outcome(seen, true);
                    }
                    seen.add(m instanceof ErrorReply e ? "error " + e.code().wireName() + " " + e.message()
                            : m.type().wireName());
                    if (m instanceof ErrorReply e && e.code() == ErrorCode.INTERNAL) {
                        return new Outcome(seen, true);
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the agent neither answered nor closed on " + fuzz + ", saw " + seen, e);
            } catch (IOException e) {
                return new Outcome(seen, false);
            }
        }
    }
}
