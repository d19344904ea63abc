package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OwnPipes opens a started command's output pipes through {@code /proc/PID/fd}. A leader that
 * exits at once is reaped by the JDK and its pid is free: found on a real agent in a pid
 * namespace (the agent held between its start and the open, the pid then given to a process with
 * its own pipes on fd 1 and 2), the command's output was lost and the other process's stderr came
 * back as the spawn refusal's text.
 */
@Timeout(30)
class OwnPipesTest {
    @Test
    void aPidThatNamesAnotherProcessSinceTheLeaderWasReapedIsNeverOpened() throws Exception {
        Process leader = new ProcessBuilder("/bin/sh", "-c", "echo mine").start();
        leader.waitFor();
        Process other = new ProcessBuilder("/bin/sh", "-c", "echo theirs; echo theirs-err >&2; exec sleep 20").start();
        try {
            Process reused = new PidTakenBy(leader, other.pid());
            assertSame(reused, OwnPipes.of(reused), "a process that is not the command was reopened");
            assertEquals("mine", new String(leader.getInputStream().readAllBytes(), UTF_8).strip());
            // The other process's pipes still have only their own reader, and lost nothing.
            assertEquals("theirs", new BufferedReader(new InputStreamReader(other.getInputStream(), UTF_8)).readLine());
            assertEquals("theirs-err", new BufferedReader(new InputStreamReader(other.getErrorStream(), UTF_8)).readLine());
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aRunningCommandsPipesAreReopened() throws Exception {
        Process leader = new ProcessBuilder("/bin/sh", "-c", "read x; echo out; echo err >&2").start();
        Process own = OwnPipes.of(leader);
        try {
            assertEquals(OwnPipes.class, own.getClass());
            own.getOutputStream().close();
            assertEquals("out", new String(own.getInputStream().readAllBytes(), UTF_8).strip());
            assertEquals("err", new String(own.getErrorStream().readAllBytes(), UTF_8).strip());
        } finally {
            own.getInputStream().close();
            own.getErrorStream().close();
            own.destroyForcibly().waitFor();
        }
    }

    /** {@code process} (exited and reaped) as it looks once its pid was given to another process. */
    private static final class PidTakenBy extends ForwardingProcess {
        private final long pid;

        PidTakenBy(Process process, long pid) {
            super(process);
            this.pid = pid;
        }

        @Override
        public long pid() {
            return pid;
        }
    }
}
