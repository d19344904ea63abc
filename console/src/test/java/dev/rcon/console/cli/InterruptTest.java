package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in a real console process ends the remote process group. */
@Timeout(90)
class InterruptTest {
    @TempDir
    Path dir;

    private static void sigint(Process p) throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private Process console(TestAgent agent, String command) throws Exception {
        Path key = TestKeys.keyFile(dir, agent.fleetKey());
        // INT at its default, as at a terminal: a JVM that inherits it ignored (the tests run as a
        // shell's background job) installs no handler for it, so the kill -INT was lost and the
        // read of what the trap prints blocked for ever, past @Timeout.
        List<String> cmd = List.of("/usr/bin/env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.rcon.console.Main",
                "--host", "127.0.0.1:" + agent.port(), "--key", key.toString(), "-n", "--", command);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void ctrlCSendsIntToTheRemoteProcessGroup() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            Process p = console(agent, "sleep 300 & echo $!; wait");
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long grandchild = Long.parseLong(out.readLine().strip());
            assertTrue(ProcessHandle.of(grandchild).isPresent());
            sigint(p);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(130, p.exitValue());
            Processes.assertGone(grandchild);
        }
    }

    @Test
    void aSecondCtrlCSendsKillAndExits130() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            Process p = console(agent, "trap 'echo got-int' INT; echo ready; while :; do sleep 1; done");
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            sigint(p);
            assertEquals("got-int", out.readLine());
            sigint(p);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(130, p.exitValue());
        }
    }
}
