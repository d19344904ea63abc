package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.TestFleet;
import dev.rcon.console.testkit.PtyConsole;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fleet status line: on a real terminal while hosts run, never in a pipe. */
@Timeout(60)
class ProgressLineTest {
    @TempDir
    Path dir;
    TestFleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = TestFleet.start(dir, 3);
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    @Test
    void aTerminalShowsDoneRunningFailedWaitingAndElapsed() throws Exception {
        try (PtyConsole pty = PtyConsole.start(dir, "--key", fleet.keyFile().toString(), "-H", fleet.hosts() + ",127.0.0.1:1", "--fanout", "2", "--",
                "sleep 3")) {
            // Two run at once: while they sleep, the unreachable one and one more wait, and the clock
            // moves (the line's first tick comes 1 s after the start: 1.5 s of sleep left too little
            // room on a loaded box).
            pty.await("\\[0/4 done, 2 running, 0 failed, 2 waiting, [1-9]\\d*s\\]", 0);
            pty.await("\\[4/4 done, 0 running, 0 failed, 1 unreachable, 0 waiting, \\d+s\\]", 0);
            assertEquals(2, pty.awaitExit());
        }
    }

    /**
     * The line uses the summary's words: hosts stopped by a Ctrl-C are interrupted or not
     * started, and hosts that could not run the command are unreachable or denied, not failed.
     */
    @Test
    void theLineCountsHostsInTheSummarysWords() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Progress progress = new Progress(new Screen(new java.io.ByteArrayOutputStream(), err, true));
        progress.begin(7);
        for (int i = 0; i < 6; i++) {
            progress.started();
        }
        progress.done(new HostResult("web1", Outcome.INTERRUPTED, null, 10, null));
        progress.done(new HostResult("web2", Outcome.NOT_STARTED, null, 0, null));
        progress.done(new HostResult("web3", Outcome.UNREACHABLE, null, 5, "connection refused"));
        progress.done(new HostResult("web4", Outcome.FAILED, null, 5, null));
        progress.done(new HostResult("web5", Outcome.DENIED, null, 5, "denied"));
        progress.done(new HostResult("web6", Outcome.UNREACHABLE, null, 5, "connection refused"));
        progress.done(new HostResult("web7", Outcome.OK, null, 5, null));
        progress.end();
        String line = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(line.contains("[7/7 done, 0 running, 1 failed, 2 unreachable, 1 denied, 1 interrupted, 1 not started,"
                + " 0 waiting, 0s]"), line);
    }

    @Test
    void aPipeGetsNoStatusLine() {
        ConsoleRun run = fleet.rcon("-H", fleet.hosts() + ",127.0.0.1:1", "--", "true");
        assertEquals(2, run.status());
        assertFalse(run.err().contains("done,"), run.err());
        assertFalse(run.err().contains("\033[K"), run.err());
    }
}
