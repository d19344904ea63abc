package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.PtyConsole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
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
    Path keyFile;
    final List<TestAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Key key = TestKeys.fresh("fleet");
        keyFile = TestKeys.keyFile(dir, key);
        for (int i = 0; i < 3; i++) {
            agents.add(TestAgent.withKey(dir, key));
        }
    }

    @AfterEach
    void stop() {
        agents.forEach(TestAgent::close);
    }

    private String hosts() {
        return agents.stream().map(a -> "127.0.0.1:" + a.port()).collect(Collectors.joining(",")) + ",127.0.0.1:1";
    }

    @Test
    void aTerminalShowsDoneRunningFailedWaitingAndElapsed() throws Exception {
        try (PtyConsole pty = PtyConsole.start(dir, "--key", keyFile.toString(), "-H", hosts(), "--fanout", "2", "--",
                "sleep 1.5")) {
            // Two run at once: while they sleep, the unreachable one and one more wait, and the clock moves.
            pty.await("\\[0/4 done, 2 running, 0 failed, 2 waiting, [1-9]\\d*s\\]", 0);
            pty.await("\\[4/4 done, 0 running, 1 failed, 0 waiting, \\d+s\\]", 0);
            assertEquals(2, pty.awaitExit());
        }
    }

    @Test
    void aPipeGetsNoStatusLine() {
        ConsoleRun run = ConsoleRun.run(dir, "", "--key", keyFile.toString(), "-H", hosts(), "--", "true");
        assertEquals(2, run.status());
        assertFalse(run.err().contains("done,"), run.err());
        assertFalse(run.err().contains("\033[K"), run.err());
    }
}
