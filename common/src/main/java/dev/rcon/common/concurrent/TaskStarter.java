package dev.rcon.common.concurrent;

/**
 * Starts named tasks, each on a daemon thread that carries the task's name while it runs: a
 * thread of its own ({@link #newThreads()}) or one kept for the next task ({@link TaskThreads}).
 */
@FunctionalInterface
public interface TaskStarter {
    /**
     * Runs {@code body} on a daemon thread called {@code name}.
     *
     * @throws OutOfMemoryError when the host gives no more threads, as {@link Thread#start} does
     */
    void start(String name, Runnable body);

    /** A new thread for every task, which ends with it. */
    static TaskStarter newThreads() {
        return Threads::start;
    }
}
