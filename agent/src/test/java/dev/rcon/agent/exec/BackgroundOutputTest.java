package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output a background job writes after the command's leader exited belongs to the command
 * (RCON1.md 4: the exit follows the end of output). The JDK's process reaper, at the leader's
 * exit, drains what a pipe holds and closes it as soon as no read holds the stream's monitor:
 * once an output pump had sent the job's first line, the stream ended, the exit went out and the
 * job's later output was lost (found in a fleet run: 4 runs in 6 lost it on a real agent).
 */
@Timeout(60)
class BackgroundOutputTest {
    @TempDir
    Path dir;

    @Test
    void outputABackgroundJobWritesAfterTheLeaderExitedIsNeverLost() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            for (int round = 1; round <= 4; round++) {
                // The leader outlives the start of its pumps (what a command that exits in the first
                // milliseconds does is left to the JDK's drain, see the note on ExecChannel.pump).
                TestClient.Run run = client.run(Exec.shell(round, "(sleep 0.2; echo late1; echo late1-err >&2;"
                        + " sleep 0.2; echo late2; echo late2-err >&2) & echo early; sleep 0.1"));
                assertEquals("early\nlate1\nlate2\n", new String(run.stdout(), UTF_8), "round " + round + ": " + run.events());
                assertEquals("late1-err\nlate2-err\n", new String(run.stderr(), UTF_8), "round " + round);
                assertEquals(0, run.exit().code());
            }
        }
    }
}
