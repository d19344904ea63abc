package dev.rcon.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TaskThreadsTest {
    /** Runs {@code body} as a task called {@code name} and returns the thread it ran on, once it ran. */
    private static Thread run(TaskStarter threads, String name, Runnable body) throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        threads.start(name, () -> {
            body.run();
            ranOn.complete(Thread.currentThread());
        });
        return ranOn.get();
    }

    /** Waits (bounded by the test's timeout) until {@code t} is back among the idle, waiting for a task. */
    private static void awaitIdle(Thread t, String idlePrefix) {
        while (!(t.getName().startsWith(idlePrefix) && t.getState() == Thread.State.TIMED_WAITING)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aTaskRunsUnderItsNameOnADaemonThatIsKeptForTheNextTask() throws Exception {
        try (TaskThreads threads = new TaskThreads("idle", Duration.ofSeconds(30))) {
            String[] seen = new String[2];
            Thread first = run(threads, "exec-1a2b3c4d-7", () -> seen[0] = Thread.currentThread().getName());
            assertTrue(first.isDaemon());
            awaitIdle(first, "idle-");
            Thread second = run(threads, "conn-8", () -> seen[1] = Thread.currentThread().getName());
            assertSame(first, second, "the idle thread took the next task");
            assertEquals("exec-1a2b3c4d-7", seen[0]);
            assertEquals("conn-8", seen[1]);
        }
    }

    @Test
    void aTaskThatFindsNoIdleThreadGetsANewOneAtOnce() throws Exception {
        try (TaskThreads threads = new TaskThreads("idle", Duration.ofSeconds(30))) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Thread> busy = new CompletableFuture<>();
            threads.start("exec-1-stdout", () -> {
                busy.complete(Thread.currentThread());
                Threads.awaitUninterruptibly(release);
            });
            Thread other = run(threads, "exec-1-stderr", () -> { });
            assertNotSame(busy.get(), other, "no task waits behind a running one");
            release.countDown();
        }
    }

    @Test
    void aTaskThatLeftItsThreadInterruptedOrThrewSpoilsNothingForTheNext() throws Exception {
        try (TaskThreads threads = new TaskThreads("idle", Duration.ofSeconds(30))) {
            Thread first = run(threads, "first", () -> Thread.currentThread().interrupt());
            awaitIdle(first, "idle-");
            boolean[] interrupted = {true};
            Thread second = run(threads, "second", () -> interrupted[0] = Thread.currentThread().isInterrupted());
            assertSame(first, second);
            assertFalse(interrupted[0], "an interrupt meant for one task reached the next");
            Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
            CompletableFuture<Thread> threw = new CompletableFuture<>();
            threads.start("throws", () -> {
                Thread.currentThread().setUncaughtExceptionHandler(quiet);
                threw.complete(Thread.currentThread());
                throw new IllegalStateException("a bug in one task");
            });
            threw.get();
            String[] after = new String[1];
            run(threads, "after", () -> after[0] = Thread.currentThread().getName());
            assertEquals("after", after[0], "tasks still run after one threw");
        }
    }

    @Test
    void anIdleThreadEndsOnceItsKeepAliveHasPassed() throws Exception {
        try (TaskThreads threads = new TaskThreads("idle", Duration.ofMillis(50))) {
            Thread t = run(threads, "burst-1", () -> { });
            t.join();
        }
    }

    @Test
    void afterCloseATaskStillRunsOnAThreadOfItsOwn() throws Exception {
        TaskThreads threads = new TaskThreads("idle", Duration.ofSeconds(30));
        threads.close();
        threads.close();
        String[] name = new String[1];
        Thread t = run(threads, "close-1a2b", () -> name[0] = Thread.currentThread().getName());
        assertEquals("close-1a2b", name[0]);
        assertTrue(t.isDaemon());
    }

    @Test
    void aTaskWithoutANameOrAKeepAliveOfNothingIsRefused() {
        try (TaskThreads threads = new TaskThreads("idle", Duration.ofSeconds(1))) {
            assertEquals("a thread needs a name",
                    assertThrows(IllegalArgumentException.class, () -> threads.start(" ", () -> { })).getMessage());
        }
        assertEquals("keepAlive must be positive, not PT0S", assertThrows(IllegalArgumentException.class,
                () -> new TaskThreads("idle", Duration.ZERO)).getMessage());
    }

    @Test
    void newThreadsGivesEachTaskAThreadOfItsOwn() throws Exception {
        TaskStarter own = TaskStarter.newThreads();
        Thread first = run(own, "one", () -> { });
        first.join();
        assertNotSame(first, run(own, "two", () -> { }));
    }
}
