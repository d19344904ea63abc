package dev.rcon.common.concurrent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads, made in this one place. Every thread of rcon is named after what it
 * serves ({@code exec-1a2b3c4d-7-stdout}), so that a thread dump reads like the session table;
 * and each is a daemon: what it serves is owned by an {@link AutoCloseable} that ends it, and a
 * forgotten one must never keep the JVM from exiting.
 */
public final class Threads {
    private Threads() {
    }

    /** A daemon thread called {@code name} that runs {@code body}; not started. */
    public static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, requireName(name));
        t.setDaemon(true);
        return t;
    }

    /** {@code name}, unless it is missing or blank: every thread of rcon is named. */
    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a thread needs a name");
        }
        return name;
    }

    /** Starts {@code body} on a new daemon thread called {@code name}. */
    public static Thread start(String name, Runnable body) {
        Thread t = daemon(name, body);
        t.start();
        return t;
    }

    /** A factory of daemon threads all called {@code name}, for single-thread executors. */
    public static ThreadFactory named(String name) {
        return body -> daemon(name, body);
    }

    /** For pools: daemon threads called {@code prefix-1}, {@code prefix-2}, ... in creation order. */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return body -> daemon(prefix + "-" + count.incrementAndGet(), body);
    }

    /** Waits for {@code latch} whatever interrupts come, then leaves the thread interrupted if one did. */
    public static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
