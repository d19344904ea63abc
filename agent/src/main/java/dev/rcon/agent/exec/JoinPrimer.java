package dev.rcon.agent.exec;

import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.files.FileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps the kernel's lock for cgroup joins warm while a session's first command may come.
 *
 * <p>Moving a process into a cgroup (a command's join) takes the kernel's
 * {@code cgroup_threadgroup_rwsem} for writing, and the first writer after a quiet spell waits
 * for an RCU grace period first ({@code rcu_sync_enter}); a writer within about a grace period
 * of the last one passes at once. On the VMs measured that wait was 5 to 30 ms against about
 * 0.3 ms warm, and it sat in every command of a session that runs one (a one-shot, each host of
 * a fleet run), between the exec request and {@code started} (bench/README.md). So once a
 * session has authenticated, the agent "moves" itself into the cgroup it is already in (its own
 * pid into its own {@code cgroup.procs}: the same lock, nothing moved), and again every
 * {@link #INTERVAL} until {@link #LEAD} after the last authentication: the first wait overlaps
 * the handshake's last messages and the spawn, and the command's own join finds the lock warm.
 *
 * <p>One task at a time for the whole agent, bounded by the lead; a write that fails ends
 * priming for good with one warning (a command's own join reports its own trouble).
 */
final class JoinPrimer {
    /** How long after an authentication the lock is kept warm: a cold console's exec comes within about 30 ms. */
    static final Duration LEAD = Duration.ofMillis(100);
    /** Between two writes: under the shortest grace period measured, so that the lock never cools in between. */
    static final Duration INTERVAL = Duration.ofMillis(4);
    /**
     * No write within this of a command's join: in a burst of commands (a fleet run against one
     * agent) writes only got in the way, as each holds up every fork and exit on the host while
     * it takes the lock (1000 hosts about 7% slower with them).
     */
    static final Duration QUIET = Duration.ofMillis(8);

    private final Path procs;
    private final byte[] pid;
    private final Consumer<String> warn;
    private final long leadNanos;
    private final long intervalNanos;
    private final long quietNanos;
    private final AtomicLong writes = new AtomicLong();
    private final Object lock = new Object();
    /** Guarded by lock: when priming may stop, and whether a task primes now. */
    private long until;
    private boolean running;
    private boolean closed;
    private volatile boolean broken;
    /** When a command last joined (or was about to): its own join keeps the lock warm for a while. */
    private volatile long lastJoin;

    JoinPrimer(Path procs, long pid, Consumer<String> warn) {
        this(procs, pid, warn, LEAD, INTERVAL, QUIET);
    }

    /** With other durations: tests only. */
    JoinPrimer(Path procs, long pid, Consumer<String> warn, Duration lead, Duration interval, Duration quiet) {
        this.procs = procs;
        this.pid = Long.toString(pid).getBytes(StandardCharsets.US_ASCII);
        this.warn = warn;
        this.leadNanos = lead.toNanos();
        this.intervalNanos = interval.toNanos();
        this.quietNanos = quiet.toNanos();
        this.lastJoin = System.nanoTime() - quietNanos;
    }

    /**
     * A command may come soon: primes now, on a task of {@code threads} unless one is priming
     * already, until the lead has passed. Never blocks or throws.
     */
    void expect(TaskStarter threads) {
        if (broken) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            until = System.nanoTime() + leadNanos;
            // Again under the lock: a task whose write just failed set broken before it stopped
            // (under this lock), and a session that read broken false before that must not start
            // another task that writes (and warns) again.
            if (running || broken) {
                return;
            }
            running = true;
        }
        try {
            threads.start("cgroup-primer", this::prime);
        } catch (OutOfMemoryError e) {
            // A host at its task limit: the join waits as it did without a primer.
            stopped();
        }
    }

    private void prime() {
        boolean going = true;
        try {
            while (going) {
                write();
                going = keepGoing();
            }
        } finally {
            if (going) {
                stopped();
            }
        }
    }

    /** A command is about to join its cgroup (its scope was just made). */
    void joining() {
        lastJoin = System.nanoTime();
    }

    private void write() {
        if (broken || System.nanoTime() - lastJoin < quietNanos) {
            return;
        }
        try {
            Files.write(procs, pid, StandardOpenOption.WRITE);
            writes.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            broken = true;
            warn.accept("cannot keep cgroup joins warm by writing the agent's pid to " + procs + ": "
                    + (e instanceof IOException io ? FileErrors.reason(io) : String.valueOf(e.getMessage()))
                    + " (commands still run in cgroups; one after a quiet spell may start some ms later)");
        }
    }

    /**
     * Waits out one interval and says whether to write again. Once the lead has passed it marks
     * the task ended in the same step, so that an {@link #expect} from then on starts another.
     */
    private boolean keepGoing() {
        synchronized (lock) {
            if (broken || closed || until - System.nanoTime() <= 0) {
                stopped();
                return false;
            }
            // The wait is the point: the lock cools a grace period after the last write, whatever else happens.
            long wake = System.nanoTime() + intervalNanos;
            for (long left = intervalNanos; left > 0; left = wake - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped();
                    return false;
                }
                if (closed) {
                    stopped();
                    return false;
                }
            }
            return true;
        }
    }

    private void stopped() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
    }

    /**
     * Ends priming for good: a task under way stops at its next pause (after at most the write
     * it is in, which may wait out one grace period), and is waited for up to {@code limit}.
     * Idempotent.
     */
    void close(Duration limit) {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            awaitIdle(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes so far. */
    long writes() {
        return writes.get();
    }

    /** Waits up to {@code limit} for the task priming now to end; whether none primes. */
    boolean awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            for (long left = limit.toNanos(); running && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return !running;
        }
    }
}
