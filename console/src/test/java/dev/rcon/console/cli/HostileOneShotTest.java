package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.FakeAgent;
import dev.rcon.console.testkit.InterruptibleRun;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compromised or wedged host against a one-shot: it starts the command and never reports its
 * end, whatever it is told. The console must not wait beyond what the operator asked for.
 */
@Timeout(60)
class HostileOneShotTest {
    @TempDir
    Path dir;
    final Key fleet = TestKeys.fresh("fleet");
    private final CountDownLatch started = new CountDownLatch(1);

    private final FakeAgent.Script neverEnds = FakeAgent.startsAndNeverEnds(started, 50);

    @Test
    void aHostThatNeverReportsTheEndIsGivenUpOnOnceTheTimeoutAndTheMarginHavePassed() throws Exception {
        try (FakeAgent hostile = FakeAgent.start(fleet, neverEnds)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", TestKeys.keyFile(dir, fleet).toString(),
                    "--host", hostile.address(), "--timeout", "1s", "--", "true");
            assertEquals(255, run.awaitStatus(30), run.err());
            assertEquals("rcon: " + hostile.address() + ": no exit 10s after the 1s timeout; gave up on the host\n",
                    run.err());
        }
    }

    @Test
    void aThirdCtrlCGivesUpOnAHostThatIgnoresIntAndKill() throws Exception {
        try (FakeAgent hostile = FakeAgent.start(fleet, neverEnds)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", TestKeys.keyFile(dir, fleet).toString(),
                    "--host", hostile.address(), "--", "sleep 60");
            assertTrue(started.await(10, TimeUnit.SECONDS));
            run.pressCtrlC();
            run.pressCtrlC();
            run.pressCtrlC();
            assertEquals(130, run.awaitStatus(10), run.err());
            assertEquals("rcon: " + hostile.address() + ": gave up waiting for the command's end at Ctrl-C 3\n", run.err());
        }
    }
}
