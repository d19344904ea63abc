package dev.rcon.common.concurrent;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Daemon threads kept for the next task when one ends, for an owner that starts a few short-lived
 * threads for every request (the agent: a connection's, and each command's start, stdout, stderr
 * and stdin). Starting and ending a thread cost about 0.2 ms of CPU on a small VM, handing a
 * task to a kept one 0.04 ms (bench/README.md). A task runs under its own name, so a thread dump
 * still reads like the session table; between tasks the thread is called {@code IDLE-N}. A
 * thread idle for the keep-alive ends, so a burst leaves nothing behind for long. There is no
 * upper bound here: the owner's limits on sessions and commands bound the tasks, as they bound
 * threads of their own.
 */
public final class TaskThreads implements TaskStarter, AutoCloseable {
    private final ThreadPoolExecutor pool;

    /**
     * @param idle the name of a thread between tasks, numbered ({@code agent-idle-3})
     * @param keepAlive how long an idle thread waits for its next task before it ends
     */
    public TaskThreads(String idle, Duration keepAlive) {
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive, not " + keepAlive);
        }
        // No queue: a task that finds no idle thread gets a new one at once, as with a thread of its own.
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, keepAlive.toNanos(), TimeUnit.NANOSECONDS,
                new SynchronousQueue<>(), Threads.factory(idle));
    }

    /**
     * Runs {@code body} on an idle thread, or a new one, named {@code name} while it runs. Once
     * closed, on a thread of its own: a session that is still ending gets its threads.
     *
     * @throws OutOfMemoryError when no thread is idle and the host gives no more
     */
    @Override
    public void start(String name, Runnable body) {
        Threads.requireName(name);
        try {
            pool.execute(() -> runNamed(name, body));
        } catch (RejectedExecutionException e) {
            Threads.start(name, body);
        }
    }

    private static void runNamed(String name, Runnable body) {
        Thread me = Thread.currentThread();
        String idle = me.getName();
        me.setName(name);
        body.run();
        // Not on a throw: the JVM reports it under the task's name, and the pool replaces the thread.
        me.setName(idle);
    }

    /** Threads idle now and later end; running tasks go on to their end. Idempotent. */
    @Override
    public void close() {
        pool.shutdown();
    }
}
