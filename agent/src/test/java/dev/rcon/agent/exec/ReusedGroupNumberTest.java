package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Started;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a cgroup, a command is its process group (on a terminal, its session), known by a
 * number. A command that ended with a background job left is killed with its session; once that
 * job is gone, the number is free, and the kernel may give it to a stranger.
 */
@Timeout(60)
class ReusedGroupNumberTest {
    private static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    @TempDir
    Path dir;

    /**
     * Attack: a key (a limited one will do) runs a command that leaves a short background job, so
     * that its group lingers until the session ends; once the job is gone it wraps the PIDs (or
     * waits), until a stranger (another console's command, a service) leads a group or session
     * of that number, then ends its session: the agent, as root, sent KILL to the stranger's
     * group. Here the test plays the wrap by setting the kernel's last PID.
     */
    @Test
    void aLingeringGroupWhoseNumberWentToAStrangerIsNeverSignalled() throws Exception {
        assumeCanChooseTheNextPid();
        try (TestAgent agent = TestAgent.start(dir, c -> c.withCgroups(AgentConfig.Cgroups.OFF))) {
            for (Pty pty : new Pty[] {null, new Pty("xterm", 80, 24)}) {
                TestClient client = agent.connect();
                long number = leaveAShortJob(client, pty);
                ProcessHandle stranger = strangerLeadingGroup(number);
                try {
                    String session = client.hello().session();
                    client.close();
                    assertTrue(agent.awaitLog("session " + session + " ended").contains("session " + session + " ended"));
                    Thread.sleep(1000);
                    assertTrue(runs(stranger), "the agent killed a stranger's " + (pty == null ? "group " : "session ")
                            + number + " as its session ended");
                } finally {
                    stranger.destroyForcibly();
                }
            }
        }
    }

    /** Runs a command whose job outlives it briefly; returns its group's number once the job is gone. */
    private static long leaveAShortJob(TestClient client, Pty pty) throws Exception {
        // The job's child stays in the group and is reaped by the job, which left for a session of its own:
        // an orphan would be a zombie holding the number wherever init is slow to reap.
        String job = "perl -MPOSIX -e 'my $c = fork(); if ($c == 0) { select(undef, undef, undef, 1.5); exit 0 }"
                + " POSIX::setsid(); waitpid($c, 0); sleep 20'";
        TestClient.Run run = client.run(new Exec(1, job + " >/dev/null 2>&1 </dev/null & sleep 0.2; exit 0", null, null, null,
                null, null, pty));
        assertEquals(0, run.exit().code(), run.events().toString());
        long number = ((Started) run.events().get(0)).pid();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessGroups.sessionHasMembers(number) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(!ProcessGroups.sessionHasMembers(number), "the job never ended");
        return number;
    }

    /**
     * A process that leads a new session and group of number {@code number}, as any command's
     * setsid does: a shell sets the kernel's last PID and forks at once (the JVM's own threads
     * would take the number first).
     */
    private static ProcessHandle strangerLeadingGroup(long number) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            Process shell = new ProcessBuilder("/bin/sh", "-c", "echo " + (number - 1) + " >" + NS_LAST_PID
                    + " || exit 1; /usr/bin/setsid /bin/sleep 60 </dev/null >/dev/null 2>&1 & echo $!").start();
            long pid = Long.parseLong(new String(shell.getInputStream().readAllBytes()).strip());
            shell.waitFor();
            ProcessHandle stranger = ProcessHandle.of(pid).orElseThrow();
            if (pid == number) {
                Thread.sleep(200);
                return stranger;
            }
            stranger.destroyForcibly();
        }
        Assumptions.abort("another process kept taking PID " + number);
        return null;
    }

    /** Alive and not a zombie (an orphan's parent, init, may be slow to reap it). */
    private static boolean runs(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static void assumeCanChooseTheNextPid() throws IOException {
        TestKeys.assumeRoot();
        Assumptions.assumeTrue(Files.isWritable(NS_LAST_PID), "needs to set " + NS_LAST_PID);
    }
}
