package dev.rcon.common.concurrent;

import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads. Every thread of rcon is named after what it serves
 * ({@code exec-1a2b3c4d-7-stdout}), so that a thread dump reads like the session table.
 */
public final class Threads {
    private Threads() {
    }

    /** Starts {@code body} on a new daemon thread called {@code name}. */
    public static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A factory of daemon threads all called {@code name}, for single-thread executors. */
    public static ThreadFactory named(String name) {
        return body -> {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            return t;
        };
    }
}
