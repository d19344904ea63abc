package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A command's process group, looked at before its setsid has run. */
@Timeout(30)
class ProcessGroupScopeTest {
    @Test
    void aGroupNotYetMadeWhenFirstLookedAtIsStillKilledOnceItIs() throws Exception {
        // As a command just spawned: its setsid (here after a pause) makes the group a moment later.
        Process process = new ProcessBuilder("/bin/sh", "-c", "sleep 0.5; exec setsid sleep 60").start();
        ProcessGroupScope scope = new ProcessGroupScope(false);
        try {
            scope.started(process, null, false);
            // A look before the group exists (a session ending while it starts asks whether anything is left).
            assertFalse(scope.hasMembers());
            assertFalse(process.waitFor(200, TimeUnit.MILLISECONDS), "the shell ended before its setsid");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!ProcessGroups.hasMembers(process.pid()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(ProcessGroups.hasMembers(process.pid()), "setsid never made the group");
            // The later KILL, after the grace period, must still reach it.
            scope.killAll();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the command's group escaped its kill");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aKillBeforeTheGroupIsMadeEndsTheLeaderItself() throws Exception {
        Process process = new ProcessBuilder("/bin/sh", "-c", "sleep 5; exec setsid sleep 60").start();
        ProcessGroupScope scope = new ProcessGroupScope(false);
        try {
            scope.started(process, null, false);
            // The KILL after the grace finds no group (setsid still to run, on a host slow enough).
            scope.killAll();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the leader outlived the kill and would make its group");
        } finally {
            process.destroyForcibly();
        }
    }
}
