package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Attacks V8 (ids out of range) and V12 (commands without bound across sessions). */
@Timeout(60)
class RequestLimitsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-2147483648"})
    void aRequestIdOutsideItsRangeIsABadRequestAndTheSessionGoesOn(String id) throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.sendHeader("{\"type\":\"exec\",\"id\":" + id + ",\"command\":\"true\"}");
            assertEquals(new ErrorReply(null, ErrorCode.BAD_REQUEST, "exec: id must be 1 to 2147483647 but was " + id),
                    client.receive());
            client.send(new Ping(1));
            assertEquals(new Pong(1), client.receive());
            client.close();
            agent.agent().close();
            assertFalse(agent.log().contains("Exception"), agent.log());
            assertFalse(agent.log().contains("\tat "), agent.log());
        }
    }

    @Test
    void theLogSaysWhyASessionReallyEnded() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            TestClient client = agent.connect();
            client.close();
            // Its session's thread logs the end when it reads the EOF; the agent's close below
            // would otherwise close the session first, and it would end "closed by agent".
            agent.awaitLog("ended: console went away without close");
            TestClient other = agent.connect();
            other.send(new dev.rcon.common.msg.Close());
            assertInstanceOf(dev.rcon.common.msg.Close.class, other.receive());
            other.close();
            agent.agent().close();
            String log = agent.log();
            assertEquals(1, log.lines().filter(l -> l.endsWith("ended: console went away without close")).count(), log);
            assertEquals(1, log.lines().filter(l -> l.endsWith("ended: closed by console")).count(), log);
        }
    }

    /**
     * RCON1.md 4: an id is unique among requests in flight, so a console may reuse it as soon as
     * it hears the end; with max_channels=1 the slot must be free by then too. The agent once
     * sent the end first and forgot the channel after, a window that a quick console could hit.
     */
    @Test
    void anIdAndItsSlotAreFreeAsSoonAsTheConsoleHearsTheEnd() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("small"), "x");
        try (TestAgent agent = TestAgent.start(dir, c -> c.withLimits(4, 1, 8)); TestClient client = agent.connect()) {
            for (int i = 0; i < 150; i++) {
                TestClient.Run run = client.run(Exec.shell(1, "true"));
                assertEquals(0, run.exit() == null ? -1 : run.exit().code(), "round " + i + ": " + run.events());
                client.send(new dev.rcon.common.msg.Get(1, file.toString()));
                dev.rcon.common.msg.Message m;
                do {
                    m = client.receive();
                } while (!(m instanceof dev.rcon.common.msg.Done) && !(m instanceof ErrorReply));
                assertInstanceOf(dev.rcon.common.msg.Done.class, m, "round " + i);
            }
        }
    }

    @Test
    void commandsBeyondTheAgentWideCapAreBusyAcrossSessions() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withMaxCommands(2));
             TestClient first = agent.connect(); TestClient second = agent.connect()) {
            first.send(Exec.shell(1, "sleep 30"));
            assertInstanceOf(Started.class, first.receive());
            second.send(Exec.shell(1, "sleep 30"));
            assertInstanceOf(Started.class, second.receive());
            second.send(Exec.shell(2, "true"));
            assertEquals(new ErrorReply(2, ErrorCode.BUSY, "the agent already runs max_commands=2 commands"),
                    second.receive());
            first.send(new Signal(1, SignalName.KILL));
            assertEquals("KILL", first.collect(1).exit().signal());
            assertEquals(0, second.run(Exec.shell(3, "true")).exit().code());
        }
    }

    /**
     * Live threads but the agent's idle kept ones: a command's start may end a moment after the
     * next one asks for a thread, which then gets a new one while the first turns idle (and goes
     * after 5 s); counting those made the bound depend on timing.
     */
    private static long busyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith("agent-idle-")).count();
    }

    @Test
    void aCommandCostsTheAgentAtMostThreeThreads() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            long before = busyThreads();
            int commands = 10;
            for (int id = 1; id <= commands; id++) {
                client.send(new Exec(id, "sleep 30", null, null, null, null, true));
                assertInstanceOf(Started.class, client.receive());
            }
            long added = busyThreads() - before;
            assertEquals(true, added <= 3 * commands, added + " threads for " + commands + " commands");
        }
    }
}
