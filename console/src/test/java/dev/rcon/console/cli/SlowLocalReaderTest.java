package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.client.RemoteCommand;
import dev.rcon.console.testkit.InterruptibleRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An honest host whose command ended at once, with more output than the local pipe holds, and a
 * local reader that pauses (a pager the operator reads in) for longer than --timeout and the
 * give-up margin: the host's exit waits behind its output, which the console itself holds back.
 * That is the operator's time, not the host's: the console must not give up on the host.
 */
@Timeout(90)
class SlowLocalReaderTest {
    /** Far more than the local pipe (64 KiB), far less than the agent's window (4 MiB). */
    private static final String COMMAND = "yes | head -c 400000; echo end";

    @TempDir
    Path dir;
    final Key fleet = TestKeys.fresh("fleet");

    private static void pauseLongerThanTheTimeoutAndTheMargin() throws InterruptedException {
        Thread.sleep(RemoteCommand.GIVE_UP_AFTER_TIMEOUT.plusSeconds(3).toMillis());
    }

    /** The last line of the output, once it is all read (or the console stopped writing it). */
    private static String drain(InterruptibleRun run) {
        String last = null;
        try {
            for (String line = run.nextLine(); line != null; line = run.nextLine()) {
                last = line;
                if (line.endsWith("end")) {
                    break;
                }
            }
        } catch (java.io.IOException writerGone) {
            // The console ended without writing the rest: the assertions say how.
        }
        return last;
    }

    @Test
    void aOneShotWhoseOutputTheOperatorReadsSlowlyIsNotGivenUpOn() throws Exception {
        try (TestAgent agent = TestAgent.withKey(dir, fleet)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", TestKeys.keyFile(dir, fleet).toString(),
                    "--host", "127.0.0.1:" + agent.port(), "--timeout", "1s", "--", COMMAND);
            pauseLongerThanTheTimeoutAndTheMargin();
            String last = drain(run);
            assertEquals(0, run.awaitStatus(20), run.err());
            assertEquals("", run.err());
            assertEquals("end", last);
        }
    }

    @Test
    void aFleetHostWhoseOutputTheOperatorReadsSlowlyIsNotGivenUpOn() throws Exception {
        try (TestAgent agent = TestAgent.withKey(dir, fleet)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", TestKeys.keyFile(dir, fleet).toString(),
                    "-H", "127.0.0.1:" + agent.port(), "--timeout", "1s", "--", COMMAND);
            pauseLongerThanTheTimeoutAndTheMargin();
            String last = drain(run);
            assertEquals(0, run.awaitStatus(20), run.err());
            assertTrue(run.err().contains("1 ok"), run.err());
            assertTrue(last.endsWith(": end"), last);
        }
    }
}
