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
import java.io.IOException;
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
 * Structured fuzzing of record headers against a real agent: valid requests and channel records
 * mutated field by field (dropped, duplicated, wrong kinds, edge numbers, deep nesting, invalid
 * UTF-8, NUL, truncation, out-of-order types), each after a valid request it may hit. Every
 * case must end in an answer (a pong after any errors, none of them internal) or the close of
 * that one session, and a well-behaved console beside it goes on being served. The seed and
 * count are fixed; {@code -Dfuzz.seed=N -Dfuzz.cases=N -Dfuzz.verbose=true} explore further.
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
