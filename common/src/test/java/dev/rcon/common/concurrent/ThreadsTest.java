package dev.rcon.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ThreadsTest {
    @Test
    void aStartedThreadIsANamedDaemonRunningItsTask() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        Thread t = Threads.start("reader-host1", () -> ranOn.complete(Thread.currentThread()));
        assertEquals(t, ranOn.get());
        assertEquals("reader-host1", t.getName());
        assertTrue(t.isDaemon());
        t.join();
    }

    @Test
    void anUnstartedThreadIsNamedAndWaits() {
        Thread t = Threads.daemon("later", () -> { });
        assertEquals(Thread.State.NEW, t.getState());
        assertEquals("later", t.getName());
        assertTrue(t.isDaemon());
    }

    @Test
    void aThreadWithoutANameIsRefused() {
        assertEquals("a thread needs a name",
                assertThrows(IllegalArgumentException.class, () -> Threads.daemon(" ", () -> { })).getMessage());
    }

    @Test
    void anExecutorsThreadsAreNumberedDaemonsOfTheirOwnFactory() throws Exception {
        ThreadFactory fleet = Threads.factory("fleet");
        ThreadFactory other = Threads.factory("other");
        assertEquals(List.of("fleet-1", "fleet-2", "other-1"), List.of(fleet.newThread(() -> { }).getName(),
                fleet.newThread(() -> { }).getName(), other.newThread(() -> { }).getName()));
        Thread timer = Threads.named("agent-timer").newThread(() -> { });
        assertEquals("agent-timer", timer.getName());
        assertTrue(timer.isDaemon());
        ExecutorService pool = Executors.newSingleThreadExecutor(Threads.factory("pool"));
        try {
            Thread worker = pool.submit(Thread::currentThread).get();
            assertEquals("pool-1", worker.getName());
            assertTrue(worker.isDaemon());
        } finally {
            pool.shutdownNow();
        }
    }
}
