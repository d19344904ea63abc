package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.CgroupChecks;
import dev.rcon.common.concurrent.TaskStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primer that keeps the kernel's lock for cgroup joins warm after a session authenticated:
 * what it writes where, that it stops on its own, and that it never gets in a session's way.
 * How much time it saves is measured in bench/, never here.
 */
@Timeout(60)
class JoinPrimerTest {
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> tasks = new CopyOnWriteArrayList<>();
    /** Threads of their own, each task's name noted. */
    private final TaskStarter counted = (name, body) -> {
        tasks.add(name);
        TaskStarter.newThreads().start(name, body);
    };

    /** A primer for pid 4242 writing to a regular file standing in for a cgroup's {@code cgroup.procs}. */
    private JoinPrimer standIn(Duration lead, Duration interval, Duration quiet) throws java.io.IOException {
        return new JoinPrimer(Files.createFile(procs()), 4242, warnings::add, lead, interval, quiet);
    }

    private Path procs() {
        return dir.resolve("cgroup.procs");
    }

    @Test
    void primingWritesTheAgentsOwnPidIntoItsOwnCgroupAndMovesNothing() throws Exception {
        CommandScopes host = CommandScopes.cgroups(CgroupChecks.assumeUsable().home(), true, warnings::add);
        Path self = Path.of("/proc/self/cgroup");
        String before = Files.readString(self);
        host.expectCommand(counted);
        JoinPrimer primer = host.primer();
        assertTrue(primer.awaitIdle(AWAIT));
        assertTrue(primer.writes() >= 1, "writes: " + primer.writes());
        assertEquals(before, Files.readString(self), "this JVM, standing in for the agent, stayed where it was");
        assertTrue(Files.readAllLines(host.home().resolve("cgroup.procs")).contains(Long.toString(ProcessHandle.current().pid())));
        assertEquals(List.of("cgroup-primer"), tasks);
        assertEquals(1, host.commandsExpected());
        assertEquals(List.of(), warnings);
    }

    @Test
    void primingStopsOnItsOwnOnceTheLeadHasPassedWritingAtMostOncePerInterval() throws Exception {
        JoinPrimer primer = standIn(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ZERO);
        primer.expect(counted);
        assertTrue(primer.awaitIdle(AWAIT));
        long writes = primer.writes();
        assertTrue(writes >= 1 && writes <= 200 / 20 + 2, "writes: " + writes);
        assertEquals("4242", Files.readString(procs()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void anExpectationWhilePrimingExtendsTheLeadInsteadOfStartingASecondTask() throws Exception {
        JoinPrimer primer = standIn(Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ZERO);
        primer.expect(counted);
        primer.expect(counted);
        assertEquals(1, tasks.size(), "one task primes for every session");
        assertTrue(primer.awaitIdle(AWAIT));
        primer.expect(counted);
        assertEquals(2, tasks.size(), "once it ended, the next session starts another");
        assertTrue(primer.awaitIdle(AWAIT));
        assertEquals(List.of(), warnings);
    }

    /** A session that authenticates while a task primes moves the end out: nothing waits for a new task. */
    @Test
    void aSessionThatAuthenticatesWhilePrimingKeepsItGoingPastTheFirstLead() throws Exception {
        Duration lead = Duration.ofMillis(400);
        JoinPrimer primer = standIn(lead, Duration.ofMillis(10), Duration.ZERO);
        long first = System.nanoTime();
        primer.expect(counted);
        Thread.sleep(250);
        long second = System.nanoTime();
        org.junit.jupiter.api.Assumptions.assumeTrue(second - first < lead.minusMillis(50).toNanos(),
                "this host was too slow to authenticate again before the first lead passed");
        primer.expect(counted);
        Thread.sleep(Math.max(0, Duration.ofMillis(550).toMillis() - Duration.ofNanos(System.nanoTime() - first).toMillis()));
        boolean idle = primer.awaitIdle(Duration.ZERO);
        long sinceSecond = System.nanoTime() - second;
        org.junit.jupiter.api.Assumptions.assumeTrue(sinceSecond < lead.minusMillis(50).toNanos(),
                "this host was too slow to look before the second lead passed");
        assertFalse(idle, "priming ended at the first lead, though a session authenticated before it passed");
        assertEquals(1, tasks.size());
        assertTrue(primer.awaitIdle(AWAIT));
        assertEquals(List.of(), warnings);
    }

    /**
     * Sessions that authenticate while the first write fails: one warning, one task, however the
     * failure and their expectations interleave (a session that read {@code broken} before the
     * failure and took the lock after the task stopped started a second task, which wrote and
     * warned again).
     */
    @Test
    void aWriteThatFailsWhileSessionsAuthenticateWarnsOnceAndStartsNoSecondTask() throws Exception {
        Path procs = dir.resolve("gone").resolve("cgroup.procs");
        for (int round = 0; round < 300; round++) {
            List<String> warned = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
            TaskStarter starter = (name, body) -> {
                started.incrementAndGet();
                TaskStarter.newThreads().start(name, body);
            };
            JoinPrimer primer = new JoinPrimer(procs, 4242, warned::add);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> sessions = new java.util.ArrayList<>();
            for (int s = 0; s < 2; s++) {
                sessions.add(dev.rcon.common.concurrent.Threads.start("session-" + s, () -> {
                    dev.rcon.common.concurrent.Threads.awaitUninterruptibly(go);
                    for (int i = 0; i < 1000; i++) {
                        primer.expect(starter);
                    }
                }));
            }
            go.countDown();
            for (Thread session : sessions) {
                session.join();
            }
            assertTrue(primer.awaitIdle(AWAIT));
            assertEquals(1, warned.size(), "round " + round + ": " + warned);
            assertEquals(1, started.get(), "round " + round + ": tasks started");
        }
    }

    /** In a burst of commands (a fleet run against one agent) their own joins keep the lock warm. */
    @Test
    void noWriteWhileCommandsJoinOnTheirOwn() throws Exception {
        JoinPrimer primer = standIn(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofHours(1));
        primer.joining();
        primer.expect(counted);
        assertTrue(primer.awaitIdle(AWAIT));
        assertEquals(List.of("cgroup-primer"), tasks);
        assertEquals(0, primer.writes());
        assertEquals("", Files.readString(procs()));
    }

    @Test
    void aPrimerThatCannotWriteWarnsOnceAndNeverTriesAgain() throws Exception {
        Path procs = dir.resolve("gone").resolve("cgroup.procs");
        JoinPrimer primer = new JoinPrimer(procs, 4242, warnings::add);
        primer.expect(counted);
        assertTrue(primer.awaitIdle(AWAIT));
        primer.expect(counted);
        assertTrue(primer.awaitIdle(AWAIT));
        assertEquals(1, tasks.size());
        assertEquals(0, primer.writes());
        assertEquals(List.of("cannot keep cgroup joins warm by writing the agent's pid to " + procs
                + ": no such file or directory (commands still run in cgroups; one after a quiet spell may start some ms later)"),
                warnings);
    }

    @Test
    void aHostWithNoThreadToSpareLeavesTheJoinAsItWasAndALaterSessionPrimes() throws Exception {
        JoinPrimer primer = standIn(JoinPrimer.LEAD, JoinPrimer.INTERVAL, JoinPrimer.QUIET);
        primer.expect((name, body) -> {
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
        });
        assertTrue(primer.awaitIdle(Duration.ZERO), "no task is left marked as priming");
        primer.expect(counted);
        assertTrue(primer.awaitIdle(AWAIT));
        assertTrue(primer.writes() >= 1);
        assertEquals(List.of(), warnings);
    }

    /** An agent that closes leaves no task writing behind it (tests of other agents in the same JVM count descriptors). */
    @Test
    void closingStopsPrimingAtOnceAndLaterSessionsPrimeNothing() throws Exception {
        JoinPrimer primer = standIn(Duration.ofHours(1), Duration.ofMillis(10), Duration.ZERO);
        primer.expect(counted);
        primer.close(AWAIT);
        assertTrue(primer.awaitIdle(Duration.ZERO), "the task ended before close returned");
        long writes = primer.writes();
        primer.expect(counted);
        assertEquals(List.of("cgroup-primer"), tasks, "no task after the close");
        assertTrue(primer.awaitIdle(Duration.ZERO));
        assertEquals(writes, primer.writes());
        primer.close(AWAIT);
        assertEquals(List.of(), warnings);
    }

    @Test
    void processGroupsHaveNothingToPrime() {
        CommandScopes off = CommandScopes.processGroups("turned off");
        off.expectCommand(counted);
        assertEquals(List.of(), tasks);
        assertEquals(0, off.commandsExpected());
    }
}
