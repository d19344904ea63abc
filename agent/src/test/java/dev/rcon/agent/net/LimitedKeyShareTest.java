package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A holder of a limited key (a backup or monitoring key, leaked or looping) who opens every
 * session, or fills every command or input slot, must not lock the operators' full keys out of
 * the host: limited keys together get at most half of each.
 */
@Timeout(60)
class LimitedKeyShareTest {
    private static final String SHARE = "limited keys (command=, user=, no-files, no-pty) already hold ";

    @TempDir
    Path dir;

    @Test
    void aLimitedKeyThatOpensEverySessionItCanLeavesTheRestToFullKeys() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withLimits(4, 8, 8))) {
            Key limited = enrollLimited(agent, "no-files");
            List<TestClient> held = new ArrayList<>();
            try {
                held.add(TestClient.connect(agent.port(), limited));
                held.add(TestClient.connect(agent.port(), limited));
                try (TestClient refused = TestClient.connect(agent.port(), limited)) {
                    assertEquals(0, refused.hello().maxChannels());
                    assertEquals(new ErrorReply(null, ErrorCode.BUSY,
                            SHARE + "2 sessions, their share of max_sessions=4; the rest are kept for full keys"),
                            refused.receive());
                }
                for (int i = 0; i < 2; i++) {
                    TestClient full = agent.connect();
                    held.add(full);
                    full.send(new Ping(1));
                    assertEquals(new Pong(1), full.receive());
                }
                // The agent frees the slot before it answers a close, so the next login finds it free.
                TestClient leaving = held.remove(0);
                leaving.send(new Close());
                assertInstanceOf(Close.class, leaving.receive());
                leaving.close();
                TestClient again = TestClient.connect(agent.port(), limited);
                held.add(again);
                again.send(new Ping(2));
                assertEquals(new Pong(2), again.receive());
            } finally {
                for (TestClient c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aLimitedKeyRunningCommandsInEverySlotItCanLeavesTheRestToFullKeys() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withMaxCommands(4));
             TestClient full = agent.connect()) {
            Key limited = enrollLimited(agent, "command=\"sleep 30\"");
            try (TestClient backup = TestClient.connect(agent.port(), limited)) {
                for (int id = 1; id <= 2; id++) {
                    backup.send(Exec.shell(id, "anything"));
                    dev.rcon.common.msg.Message started = backup.receive();
                    assertInstanceOf(Started.class, started, started::toString);
                }
                backup.send(Exec.shell(3, "anything"));
                assertEquals(new ErrorReply(3, ErrorCode.BUSY,
                        SHARE + "2 commands, their share of max_commands=4; the rest are kept for full keys"),
                        backup.receive());
                for (int id = 1; id <= 2; id++) {
                    full.send(Exec.shell(id, "sleep 30"));
                    assertInstanceOf(Started.class, full.receive());
                }
                full.send(Exec.shell(3, "true"));
                assertEquals(new ErrorReply(3, ErrorCode.BUSY, "the agent already runs max_commands=4 commands"),
                        full.receive());
                backup.send(new Signal(1, SignalName.KILL));
                assertEquals("KILL", backup.collect(1).exit().signal());
                // The slot the limited key gave back is its own again, not lost to the share.
                backup.send(Exec.shell(4, "anything"));
                assertInstanceOf(Started.class, backup.receive());
                full.send(new Signal(1, SignalName.KILL));
                assertEquals("KILL", full.collect(1).exit().signal());
                assertEquals(0, full.run(Exec.shell(5, "true")).exit().code());
            }
        }
    }

    /** Adds a second line to the agent's keys: a fresh key with {@code options}, and reloads. */
    private static Key enrollLimited(TestAgent agent, String options) throws IOException {
        Key limited = TestKeys.fresh("backup");
        Files.writeString(agent.authorizedKeys(), options + " " + KeyLine.format(limited) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        agent.agent().reloadKeys();
        return limited;
    }
}
