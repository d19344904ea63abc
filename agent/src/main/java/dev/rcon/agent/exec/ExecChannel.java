package dev.rcon.agent.exec;

import dev.rcon.agent.channel.ChannelBase;
import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stderr;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One running command, on pipes or on a terminal ({@link Spawned}). Its process leads a new
 * session and process group, inside a {@link CommandScope} (a cgroup of its own where the agent
 * can make one), so a signal, a timeout or the end of the console's session reaches
 * every process it started (on a terminal, every process group of its session, since a shell
 * there puts each job in a group of its own). Each output stream has one blocking pump that
 * sends as soon as it reads, but never past the channel's window: with no credit the pump
 * waits, the pipe or terminal fills and the command blocks, so memory stays flat and other
 * channels go on. Threads: the JDK's reaper and one pump per output stream, plus a stdin writer
 * only while stdin bytes are waiting. {@code exit} goes out once, after the process ended and
 * every output stream reached its end, from whichever came last.
 */
public final class ExecChannel extends ChannelBase {
    private final Exec request;
    private final ExecSettings settings;
    private final Spawned spawned;
    private final Process process;
    private final CommandScope scope;
    private final Consumer<Exit> onFinished;
    private final StdinPipe stdin;
    private final long startNanos = System.nanoTime();
    private final AtomicLong stdoutBytes = new AtomicLong();
    private final AtomicLong stderrBytes = new AtomicLong();
    /** The leader's exit and the end of each output stream; the last of them sends {@code exit}. */
    private final AtomicInteger toFinish;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final AtomicBoolean terminating = new AtomicBoolean();
    private volatile boolean signalled;
    private volatile boolean finished;
    /** Whether processes of the command were still alive when it ended; decided once, in finish. */
    private volatile boolean leftBehind;
    /** Set by terminate(): what is left after the command's end still gets the KILL at the grace. */
    private volatile boolean killAfterEnd;
    private volatile ScheduledFuture<?> timeout;
    private volatile ScheduledFuture<?> kill;

    private ExecChannel(Link link, Exec request, ExecSettings settings, Spawned spawned, CommandScope scope,
                        Consumer<Exit> onFinished) {
        super(link);
        this.request = request;
        this.settings = settings;
        this.spawned = spawned;
        this.process = spawned.leader();
        this.scope = scope;
        this.onFinished = onFinished;
        this.toFinish = new AtomicInteger(spawned.stderr() == null ? 2 : 3);
        this.stdin = new StdinPipe(spawned.stdin(), spawned::endInput, link.name() + "-stdin", this::consumed);
    }

    /**
     * Starts the process of {@code request}; nothing is read or sent until {@link #open}, so the
     * session can register the channel first.
     *
     * @param onFinished called once with the exit, just before it is sent
     * @throws RequestException when the command cannot start
     */
    public static ExecChannel start(Link link, Exec request, RunAs runAs, ExecSettings settings,
                                    Consumer<Exit> onFinished) throws RequestException {
        CommandScope scope = settings.scopes().open(request.pty() != null);
        try {
            return new ExecChannel(link, request, settings, settings.launcher().launch(request, runAs, scope), scope,
                    onFinished);
        } catch (RequestException | RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** Sends {@code started}, then streams output and finally {@code exit}. */
    @Override
    public void open() {
        if (!sendQuietly(new Started(request.id(), process.pid()))) {
            terminate();
        }
        pump(spawned.stdout(), false);
        if (spawned.stderr() != null) {
            pump(spawned.stderr(), true);
        }
        long timeoutMs = request.timeoutMs() != null ? request.timeoutMs() : settings.defaultTimeout().toMillis();
        if (timeoutMs > 0) {
            timeout = later(() -> {
                timedOut.set(true);
                terminate();
            }, timeoutMs);
        }
        // onExit's stages run on the common pool: nothing in the agent may block that pool, or exits
        // wait (on a 2-core host it has one worker).
        process.onExit().thenRun(this::leaderExited);
    }

    @Override
    protected void onMessage(Message message) throws ProtocolException {
        switch (message.type()) {
            case STDIN -> {
                Stdin in = (Stdin) message;
                arrived(in.payload().length);
                stdin.offer(in.payload(), in.isEof());
            }
            case SIGNAL -> signal(((Signal) message).signal());
            case RESIZE -> resize((Resize) message);
            default -> throw new IllegalArgumentException("exec channel cannot take " + message.type().wireName());
        }
    }

    /** On the reader thread: an ioctl, which never blocks. */
    private void resize(Resize resize) {
        if (finished) {
            return;
        }
        try {
            spawned.resize(resize.cols(), resize.rows());
        } catch (RequestException e) {
            sendQuietly(new ErrorReply(request.id(), e.code(), e.getMessage()));
        }
    }

    private void pump(InputStream in, boolean isStderr) {
        Threads.start(link.name() + (isStderr ? "-stderr" : "-stdout"), () -> {
            byte[] buf = new byte[Limits.CHUNK];
            boolean sending = true;
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    (isStderr ? stderrBytes : stdoutBytes).addAndGet(n);
                    sending = sending && forward(buf, n, isStderr);
                }
            } catch (IOException e) {
                // The pipe broke, or the terminal has no process left on it (EIO).
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            oneDone();
        });
    }

    /**
     * Sends {@code n} bytes as the window allows; false once the console cannot take more, after
     * which the pump only drains so the command is not stuck on a full pipe.
     */
    private boolean forward(byte[] buf, int n, boolean isStderr) throws InterruptedException {
        int off = 0;
        while (off < n) {
            int allowed = credit(n - off);
            if (allowed < 0) {
                return false;
            }
            byte[] chunk = Arrays.copyOfRange(buf, off, off + allowed);
            if (!sendQuietly(isStderr ? new Stderr(request.id(), chunk) : new Stdout(request.id(), chunk))) {
                stopSending();
                return false;
            }
            off += allowed;
        }
        return true;
    }

    private void leaderExited() {
        spawned.leaderExited();
        if (spawned.wholeSession() && scope.hasMembers()) {
            hangUp();
        } else if (signalled && scope.hasMembers()) {
            // A signal the console sent ended the leader; what is left of the group (a background
            // job with INT ignored, say) would hold the output open and keep the command "running".
            terminate();
        }
        oneDone();
    }

    /**
     * The terminal's leader is gone: like the hangup ssh's terminal gets when the login shell
     * exits, HUP to what is left on it, KILL after the grace period unless all output ended.
     * A job that ignores HUP and lets go of the terminal (nohup) lingers until the session ends.
     */
    private void hangUp() {
        if (terminating.compareAndSet(false, true)) {
            scope.signal(SignalName.HUP.number());
            kill = later(this::kill, settings.killGrace().toMillis());
        }
    }

    private void oneDone() {
        if (toFinish.decrementAndGet() == 0) {
            finish();
        }
    }

    private void finish() {
        leftBehind = scope.hasMembers();
        if (!leftBehind) {
            scope.close();
        }
        finished = true;
        cancel(timeout);
        if (!killAfterEnd) {
            cancel(kill);
        }
        stdin.close();
        spawned.release();
        Exit exit = exitFor(process.exitValue());
        // Bookkeeping and the log line first: once the console sees exit, both are done.
        onFinished.accept(exit);
        sendQuietly(exit);
        ended();
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
        return process.pid();
    }

    /** True when processes of the command outlived its exit (background jobs, escapees). */
    public boolean hasLingering() {
        return finished ? leftBehind : scope.hasMembers();
    }

    /**
     * Delivers {@code signal} to the whole process group, off the reader thread (kill(1) is a
     * process start). If the leader is already gone, the members left are what keeps the command
     * open, and they are terminated too.
     */
    private void signal(SignalName signal) {
        if (finished) {
            return;
        }
        signalled = true;
        later(() -> {
            scope.signal(signal.number());
            if (!process.isAlive()) {
                terminate();
            }
        }, 0);
    }

    /** TERM to the group now, KILL after the grace period unless it ended by then. */
    @Override
    public void terminate() {
        if (finished) {
            kill();
            return;
        }
        if (!terminating.compareAndSet(false, true)) {
            return;
        }
        killAfterEnd = true;
        scope.signal(SignalName.TERM.number());
        kill = later(this::kill, settings.killGrace().toMillis());
    }

    /**
     * KILL to whatever is left of the command, including members that outlived the leader; once
     * the command has ended, its scope is released too.
     */
    @Override
    public void kill() {
        scope.killAll();
        if (finished) {
            scope.close();
        }
    }

    /**
     * Runs {@code action} on the agent's timer after {@code ms}; once the agent has shut its timer
     * down (a session still closing after the agent), at once on this thread instead.
     */
    private ScheduledFuture<?> later(Runnable action, long ms) {
        try {
            return settings.timer().schedule(action, ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            action.run();
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
