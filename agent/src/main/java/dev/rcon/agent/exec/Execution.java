package dev.rcon.agent.exec;

import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stderr;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running command. Its process leads a new session and process group ({@code setsid}) and
 * runs in a {@link CommandScope} (a cgroup of its own where the agent can make one), so a
 * signal, a timeout or the end of the console's session reaches every process it started.
 * Output is pumped by one blocking thread per stream in chunks of at most 64 KiB, sent as soon
 * as read; a slow console blocks the pump, the pipe fills and the command waits, so memory stays
 * flat. {@code exit} is sent once, after the process ended and both pipes reached EOF.
 */
public final class Execution implements AutoCloseable {
    private final Exec request;
    private final ExecContext ctx;
    private final Process process;
    private final long pid;
    private final CommandScope scope;
    /** Whether processes of the command were still alive when it ended; decided once, in awaitExit. */
    private volatile boolean leftBehind;
    private final long startNanos = System.nanoTime();
    private final AtomicLong stdoutBytes = new AtomicLong();
    private final AtomicLong stderrBytes = new AtomicLong();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final AtomicBoolean terminating = new AtomicBoolean();
    private volatile boolean signalled;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private final Object stdinLock = new Object();
    private volatile boolean finished;
    private volatile ScheduledFuture<?> timeout;
    private volatile ScheduledFuture<?> kill;

    private Execution(Exec request, ExecContext ctx, Process process, CommandScope scope) {
        this.request = request;
        this.ctx = ctx;
        this.process = process;
        this.pid = process.pid();
        this.scope = scope;
    }

    /**
     * Starts the process of {@code request}; nothing is read or sent until {@link #begin}, so the
     * caller can register the execution first.
     *
     * @throws RequestException when the command cannot start
     */
    public static Execution spawn(Exec request, ExecContext ctx) throws RequestException {
        CommandScope scope = ctx.scopes().open();
        try {
            return new Execution(request, ctx, Spawner.spawn(request, scope), scope);
        } catch (RequestException | RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** Sends {@code started}, then streams output and finally {@code exit}. */
    public void begin() {
        try {
            ctx.sink().send(new Started(request.id(), process.pid()));
        } catch (IOException e) {
            terminate();
        }
        Thread out = pump(process.getInputStream(), false);
        Thread err = pump(process.getErrorStream(), true);
        long timeoutMs = request.timeoutMs() != null ? request.timeoutMs() : ctx.defaultTimeout().toMillis();
        if (timeoutMs > 0) {
            timeout = ctx.timer().schedule(() -> {
                timedOut.set(true);
                terminate();
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
        Thread waiter = new Thread(() -> awaitExit(out, err), ctx.name() + "-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private Thread pump(InputStream in, boolean isStderr) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[Limits.CHUNK];
            boolean sending = true;
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    (isStderr ? stderrBytes : stdoutBytes).addAndGet(n);
                    if (n > 0 && sending) {
                        byte[] chunk = Arrays.copyOf(buf, n);
                        try {
                            ctx.sink().send(isStderr ? new Stderr(request.id(), chunk) : new Stdout(request.id(), chunk));
                        } catch (IOException e) {
                            // The console is gone; keep draining so the command is not stuck on a full pipe.
                            sending = false;
                        }
                    }
                }
            } catch (IOException e) {
                // The pipe broke: the process is gone.
            }
        }, ctx.name() + (isStderr ? "-stderr" : "-stdout"));
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void awaitExit(Thread out, Thread err) {
        int status;
        try {
            status = process.waitFor();
            if (signalled && scope.hasMembers()) {
                // A signal the console sent ended the leader; what is left of the group (a background
                // job with INT ignored, say) would hold the output open and keep the command "running".
                terminate();
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        leftBehind = scope.hasMembers();
        if (!leftBehind) {
            scope.close();
        }
        finished = true;
        cancel(timeout);
        if (!terminating.get()) {
            // Once ended by TERM (a timeout, a session's end), what is left gets its KILL after the grace.
            cancel(kill);
        }
        closeStdin();
        Exit exit = exitFor(status);
        // Bookkeeping and the log line first: once the console sees exit, both are done.
        ctx.onFinished().accept(exit);
        try {
            ctx.sink().send(exit);
        } catch (IOException e) {
            // The console is gone; the outcome is logged already.
        } finally {
            ended.countDown();
        }
    }

    /**
     * The JDK reports a death by signal N as status 128+N and gives no other way to tell it from
     * {@code exit 128+N}; a status whose low part names a signal is reported as that signal.
     */
    private Exit exitFor(int status) {
        String signal = status > 128 ? ProcessGroups.signalName(status - 128) : null;
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return new Exit(request.id(), signal == null ? status : null, signal, timedOut.get(), durationMs,
                stdoutBytes.get(), stderrBytes.get());
    }

    public long pid() {
        return pid;
    }

    /**
     * True while some process of the command is alive; once it ended, whether any was left
     * behind then (the session keeps those until it ends, and {@link #killLingering} them).
     */
    public boolean hasMembers() {
        return finished ? leftBehind : scope.hasMembers();
    }

    public boolean isFinished() {
        return finished;
    }

    /** Writes to the command's stdin; blocks while its pipe is full. Ignored once it is closed. */
    public void stdin(byte[] bytes, boolean eof) {
        synchronized (stdinLock) {
            if (!request.wantsStdin()) {
                return;
            }
            OutputStream os = process.getOutputStream();
            try {
                if (bytes.length > 0) {
                    os.write(bytes);
                    os.flush();
                }
                if (eof) {
                    os.close();
                }
            } catch (IOException e) {
                // The command closed its stdin or ended: what it did not read is dropped, as a pipe would.
            }
        }
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed or broken.
        }
    }

    /**
     * Delivers {@code signal} to every process of the command. If the leader is already gone,
     * the members left are what keeps the command open, and they are terminated too.
     */
    public void signal(SignalName signal) {
        if (finished) {
            return;
        }
        signalled = true;
        scope.signal(signal.number());
        if (!process.isAlive()) {
            terminate();
        }
    }

    /** TERM to every process of the command now, KILL after the grace period to whatever is left. */
    public void terminate() {
        if (finished) {
            killLingering();
            return;
        }
        if (!terminating.compareAndSet(false, true)) {
            return;
        }
        scope.signal(SignalName.TERM.number());
        kill = ctx.timer().schedule(this::killLingering, ctx.killGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the command has ended and its exit was sent, or the deadline passed. */
    public boolean awaitEnd(long deadlineNanos) throws InterruptedException {
        return ended.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /**
     * KILL to whatever is left of the command, including members that outlived the leader; once
     * the command has ended, its scope is released too.
     */
    public void killLingering() {
        scope.killAll();
        if (finished) {
            scope.close();
        }
    }

    /** Ends the command as a session teardown does; returns at once. */
    @Override
    public void close() {
        terminate();
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
