package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.wire.ErrorCode;
import java.io.File;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's Process.destroy closes its stdin stream, whose {@code out} ProcessPipes took: it must
 * neither throw nor keep the agent from letting go of the pipes.
 */
@Timeout(60)
class ProcessPipesTest {

    /** A scope whose join always fails, as a cgroup that went away does. */
    private static final class FailingJoin implements CommandScope {
        @Override
        public void started(Process process, ProcessPipes pipes, boolean inCommandShell) throws RequestException {
            throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot start the command in cgroup: test");
        }

        @Override
        public void signal(int number) {
        }

        @Override
        public boolean hasMembers() {
            return false;
        }

        @Override
        public void killAll() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aProcessWhosePipesWereTakenCanBeDestroyed() throws Exception {
        Process p = new ProcessBuilder("sleep", "100").start();
        ProcessPipes pipes = ProcessPipes.take(p);
        try {
            p.destroyForcibly();
        } finally {
            pipes.close();
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailedJoinWithStdinIsSpawnFailedAndLeavesNoPipeOpen() throws Exception {
        Exec request = new Exec(1, "sleep 100", null, null, null, null, true);
        leavesNoDescriptorOpen("failed joins", () -> assertEquals(ErrorCode.SPAWN_FAILED, joinFails(request).code()));
    }

    /** As ExecChannel.broken abandons a command whose start failed before its stdin was attached. */
    @Test
    void anAbandonedCommandOnPipesLetsGoOfItsStdinToo() throws Exception {
        Exec request = new Exec(1, "sleep 100", null, null, null, null, true);
        leavesNoDescriptorOpen("abandoned commands", () -> abandonOnce(request));
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} once (classes, the reaper thread), then 20 times, counting open descriptors. */
    private static void leavesNoDescriptorOpen(String what, Step step) throws Exception {
        step.run();
        int before = openFds();
        for (int i = 0; i < 20; i++) {
            step.run();
        }
        assertEquals(before, openFds(), "descriptors left open by " + what);
    }

    private static void abandonOnce(Exec request) throws Exception {
        Spawned spawned = new PipeLauncher().launch(request, RunAs.AGENT, new ProcessGroupScope(false));
        spawned.awaitJoined();
        spawned.leader().destroyForcibly();
        spawned.abandon();
        assertTrue(spawned.leader().waitFor(10, TimeUnit.SECONDS));
    }

    private static RequestException joinFails(Exec request) {
        return assertThrows(RequestException.class,
                () -> new PipeLauncher().launch(request, RunAs.AGENT, new FailingJoin()).awaitJoined());
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
