package dev.rcon.agent.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Agent shutdown: TERM, KILL after the grace, exits delivered, then close. */
@Timeout(60)
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void shutdownEndsEveryGroupReportsTheExitsThenSaysClose() throws Exception {
        TestAgent agent = TestAgent.start(dir, c -> c.withKillGrace(Duration.ofMillis(500)));
        try (TestClient polite = agent.connect(); TestClient stubborn = agent.connect()) {
            polite.send(Exec.shell(1, "exec sleep 300"));
            assertInstanceOf(Started.class, polite.receive());
            stubborn.send(Exec.shell(1, "trap '' TERM; sleep 300 & echo $!; wait"));
            assertInstanceOf(Started.class, stubborn.receive());
            long grandchild = Long.parseLong(new String(((Stdout) stubborn.receive()).payload(), UTF_8).strip());

            agent.close();

            Exit politeExit = (Exit) polite.receive();
            assertEquals("TERM", politeExit.signal());
            assertInstanceOf(Close.class, polite.receive());
            Exit stubbornExit = (Exit) stubborn.receive();
            assertEquals("KILL", stubbornExit.signal());
            assertInstanceOf(Close.class, stubborn.receive());
            Processes.assertGone(grandchild);
        }
    }

    /**
     * A console that went away leaves its command TERMed with the KILL due after the grace; an
     * agent stopped within that grace dropped the KILL with its timer, so a command ignoring
     * TERM outlived the agent (found by CutSessionLeakTest's neighbour, EndBeforeCloseTest,
     * leaving cgroups behind).
     */
    @Test
    void aCommandInItsGraceWhenTheAgentStopsIsStillKilled() throws Exception {
        TestAgent agent = TestAgent.start(dir, c -> c.withKillGrace(Duration.ofMillis(1500)));
        long leader;
        long grandchild;
        try (TestClient client = agent.connect()) {
            client.send(Exec.shell(1, "trap '' TERM; sleep 300 & echo $!; wait"));
            leader = ((Started) client.receive()).pid();
            grandchild = Long.parseLong(new String(((Stdout) client.receive()).payload(), UTF_8).strip());
        }
        agent.awaitLog("ended: console went away without close");
        awaitNoSessionThread();
        agent.close();
        Processes.assertGone(grandchild);
        Processes.assertGone(leader);
    }

    /**
     * An agent whose commands all ended at the TERM of its stop does not wait out the kill grace:
     * the KILL each terminate() left on the timer, kept for what outlives a command's end, held
     * the timer's polite shutdown (90b8e58) for the whole grace although nothing was left, so a
     * stop with kill_grace_ms past systemd's TimeoutStopSec=30s was cut by its SIGKILL before the
     * audit trail was closed (found by review, timing close() with a 20 s grace: 20 s).
     */
    @Test
    void anAgentWhoseCommandsEndedAtTermStopsWithoutWaitingTheGrace() throws Exception {
        TestAgent agent = TestAgent.start(dir, c -> c.withKillGrace(Duration.ofSeconds(30)));
        try (TestClient client = agent.connect()) {
            client.send(Exec.shell(1, "exec sleep 300"));
            assertInstanceOf(Started.class, client.receive());
            long start = System.nanoTime();
            agent.close();
            long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("TERM", ((Exit) client.receive()).signal());
            org.junit.jupiter.api.Assertions.assertTrue(ms < 15_000, "close took " + ms + " ms");
        }
    }

    /** Until the session's close (TERM sent, KILL scheduled) is done and its thread has ended. */
    private static void awaitNoSessionThread() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("session-"))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the session's thread did not end");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
