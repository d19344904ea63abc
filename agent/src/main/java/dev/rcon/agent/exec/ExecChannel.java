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
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.ProtocolException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One command, on pipes or on a terminal ({@link Spawned}). It starts on a thread of the
 * channel's own, never on the session's reader: a start can block (a {@code cwd} or program on
 * a hung network mount), and that holds up this command only. What arrives while it starts
 * waits: stdin bytes (within the window), the last resize, each signal once; a session that
 * ends first keeps it from starting, or ends it as soon as it has.
 *
 * <p>Its process leads a new session and process group, inside a {@link CommandScope} (a cgroup
 * of its own where the agent can make one), so a signal, a timeout or the end of the console's
 * session reaches every process it started (on a terminal, every process group of its session,
 * since a shell there puts each job in a group of its own). Each output stream has one blocking
 * pump that sends as soon as it reads, but never past the channel's window: with no credit the
 * pump waits, the pipe or terminal fills and the command blocks, so memory stays flat and other
 * channels go on. Threads: the start thread, which then pumps stdout, one pump for stderr, the
 * JDK's reaper, plus a stdin writer only while stdin bytes are waiting. {@code exit} goes out
 * once, after the process ended and every output stream reached its end, from the last pump.
 */
public final class ExecChannel extends ChannelBase {
    /** The answer to a resize for a command without a terminal (RCON1.md 4.2). */
    public static final String NOT_A_TERMINAL = "resize is only for a command started with a pty";

    private final Exec request;
    private final RunAs runAs;
    private final ExecSettings settings;
    private final ExecOutcome outcome;
    private final StdinPipe stdin;
    private final SignalQueue signals;
    private final long startNanos = System.nanoTime();
    private final AtomicLong stdoutBytes = new AtomicLong();
    private final AtomicLong stderrBytes = new AtomicLong();
    /** The end of each output stream; the last of them sends {@code exit}, stdout's after the leader's exit. */
    private final AtomicInteger toFinish = new AtomicInteger();
    private final CountDownLatch leaderHandled = new CountDownLatch(1);
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final AtomicBoolean terminating = new AtomicBoolean();
    private final StartGate gate = new StartGate();
    /** Set once, before the gate opens: readers pass the gate or start after it opened. */
    private Spawned spawned;
    private Process process;
    private CommandScope scope;
    private volatile boolean signalled;
    private volatile boolean finished;
    /** Whether processes of the command were still alive when it ended; decided once, in finish. */
    private volatile boolean leftBehind;
    /** Set by terminate(): what outlived the command's end gets the KILL at the grace (nothing left: none). */
    private volatile boolean killAfterEnd;
    private volatile ScheduledFuture<?> timeout;
    private volatile ScheduledFuture<?> kill;

    /** A channel for {@code request}; nothing starts, is read or is sent until {@link #open}. */
    public ExecChannel(Link link, Exec request, RunAs runAs, ExecSettings settings, ExecOutcome outcome) {
        super(link);
        this.request = request;
        this.runAs = runAs;
        this.settings = settings;
        this.outcome = outcome;
        this.stdin = new StdinPipe(link.threads(), link.name() + "-stdin", this::consumed, link.inputDone(),
                retry -> settings.later(retry, 100));
        this.signals = new SignalQueue(task -> settings.later(task, 0), this::deliver);
    }

    /** Starts the command on the channel's own thread, which then pumps its stdout. */
    @Override
    public void open() {
        startOwnThread(this::start);
    }

    @Override
    protected void noThread(RequestException refusal) {
        refuse(refusal);
    }

    private void start() {
        if (gate.abandoned()) {
            refuse(new RequestException(ErrorCode.SPAWN_FAILED, "not started: the session is ending"));
            return;
        }
        Launched launched = attempt(() -> Launched.launch(settings, request, runAs));
        if (launched == null) {
            return;
        }
        if (attempt(launched::awaitJoined) != null) {
            run(launched.spawned(), launched.scope());
        }
    }

    /** What {@code step} gives; null once the refusal or failure it threw was reported. */
    private <T> T attempt(StartStep<T> step) {
        try {
            return step.run();
        } catch (RequestException e) {
            refuse(e);
        } catch (RuntimeException e) {
            fail(e);
        }
        return null;
    }

    private interface StartStep<T> {
        T run() throws RequestException;
    }

    /** The command did not start: the session records it, then the console hears the error. */
    private void refuse(RequestException e) {
        outcome.refused(e);
        endedWith(new ErrorReply(request.id(), e.code(), e.getMessage()));
    }

    /** A bug of the agent's: the session logs it and gives the slot back, then the console hears {@code internal}. */
    private void fail(RuntimeException e) {
        outcome.failed(e);
        endedWith(new ErrorReply(request.id(), ErrorCode.INTERNAL, "internal error"));
    }

    /** Sends {@code started}, does what waited for it, then streams output and finally {@code exit}. */
    private void run(Spawned spawned, CommandScope scope) {
        // Set before the gate opens, which publishes them to every thread that passes it.
        this.spawned = spawned;
        this.process = spawned.leader();
        this.scope = scope;
        try {
            begin(spawned);
        } catch (RuntimeException | Error e) {
            broken(spawned, e);
            return;
        }
        Thread.currentThread().setName(link.name() + "-stdout");
        pump(spawned.stdout(), false);
    }

    /** Everything between the start and the pumping of stdout. */
    private void begin(Spawned spawned) {
        outcome.started();
        boolean told = sendQuietly(new Started(request.id(), process.pid()));
        // After started: the stdin that waited may be written at once, and no window for it may come first.
        stdin.attach(spawned.stdin(), spawned::endInput);
        // What waited goes first, in the order it came, then what the reader passes on from now.
        StartGate.Waiting waiting = gate.open(early -> {
            if (early.size() != null) {
                resize(early.size());
            }
            early.signals().forEach(this::signal);
        });
        // The first call on the command after the gate opened (SlowStartTest holds the start here).
        InputStream stderr = spawned.stderr();
        toFinish.set(stderr == null ? 1 : 2);
        if (!told || waiting.abandon() != StartGate.Abandon.NONE) {
            terminate();
            if (waiting.abandon() == StartGate.Abandon.KILL) {
                kill();
            }
        }
        if (stderr != null) {
            link.threads().start(link.name() + "-stderr", () -> pump(stderr, true));
        }
        long timeoutMs = request.timeoutMs() != null ? request.timeoutMs() : settings.defaultTimeout().toMillis();
        if (timeoutMs > 0) {
            timeout = settings.later(() -> {
                timedOut.set(true);
                terminate();
            }, timeoutMs);
        }
        // From the JDK's common pool, which every session shares (two threads under the unit): what may
        // signal the group (kill(1)) or read /proc runs on a thread of its own, so no other exit waits.
        process.onExit().thenRun(() -> {
            boolean signalledBefore = signalled;
            run(spawned.wholeSession() || signalledBefore, link.name() + "-exit", () -> leaderExited(signalledBefore));
        });
    }

    /** A bug of ours after the start: the process killed, its slot given back, the console told; no pump finishes it. */
    private void broken(Spawned spawned, Throwable e) {
        toFinish.set(Integer.MIN_VALUE);
        gate.open(early -> { });
        finished = true;
        ExecSettings.cancel(timeout);
        // The leader first: just after the launch it may not have made its group (setsid) or
        // joined its cgroup yet, and a kill of either would miss it; nothing is sent later.
        spawned.leader().destroyForcibly();
        scope.killAll();
        scope.close();
        stdin.close();
        spawned.abandon();
        if (e instanceof OutOfMemoryError) {
            // No thread for stderr's pump: the host's task limit, not a bug of ours.
            RequestException busy = RequestException.noThread();
            outcome.failed(new IllegalStateException(busy.getMessage(), e));
            endedWith(new ErrorReply(request.id(), busy.code(), busy.getMessage()));
            return;
        }
        fail(e instanceof RuntimeException r ? r : new IllegalStateException(e));
        if (e instanceof Error error) {
            throw error;
        }
    }

    @Override
    protected void onMessage(Message message) throws ProtocolException {
        switch (message.type()) {
            case STDIN -> {
                Stdin in = (Stdin) message;
                arrived(in.payload().length);
                if (request.wantsStdin()) {
                    stdin.offer(in.payload(), in.isEof());
                } else {
                    // Its stdin is /dev/null: nothing waits for a start, and no input slot covers it.
                    consumed(in.payload().length);
                }
            }
            case SIGNAL -> {
                SignalName signal = ((Signal) message).signal();
                if (!gate.keep(signal)) {
                    signal(signal);
                }
            }
            case RESIZE -> {
                Resize resize = (Resize) message;
                if (request.pty() == null) {
                    sendQuietly(new ErrorReply(request.id(), ErrorCode.BAD_REQUEST, NOT_A_TERMINAL));
                } else if (!gate.keep(resize)) {
                    resize(resize);
                }
            }
            default -> throw cannotTake("a command", message);
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

    /** One output stream, on this thread, to its end; stdout's ends after the leader's exit was handled. */
    private void pump(InputStream in, boolean isStderr) {
        Message.WithPayload carrier = isStderr ? new Stderr(request.id(), new byte[0]) : new Stdout(request.id(), new byte[0]);
        OutputPump.pump(in, isStderr ? stderrBytes : stdoutBytes, (buf, n) -> sendWithinWindow(buf, n, carrier));
        if (!isStderr) {
            Threads.awaitUninterruptibly(leaderHandled);
        }
        oneDone();
    }

    private void leaderExited(boolean signalledBefore) {
        try {
            spawned.leaderExited();
            if (spawned.wholeSession() && scope.hasMembers()) {
                hangUp();
            } else if (signalledBefore && scope.hasMembers()) {
                // A signal the console sent ended the leader; what is left of the group (a background
                // job with INT ignored, say) would hold the output open and keep the command "running".
                terminate();
            }
        } finally {
            leaderHandled.countDown();
        }
    }

    /**
     * The terminal's leader is gone: like the hangup ssh's terminal gets when the login shell
     * exits, HUP to what is left on it, KILL after the grace period unless all output ended.
     * A job that ignores HUP and lets go of the terminal (nohup) lingers until the session ends.
     */
    private void hangUp() {
        if (terminating.compareAndSet(false, true)) {
            scope.signal(SignalName.HUP.number());
            kill = settings.later(this::kill, settings.killGrace().toMillis());
        }
    }

    private void oneDone() {
        if (toFinish.decrementAndGet() == 0) {
            finish();
        }
    }

    private void finish() {
        leftBehind = !scope.closeIfEmpty();
        finished = true;
        ExecSettings.cancel(timeout);
        if (!killAfterEnd || !leftBehind) {
            ExecSettings.cancel(kill);
        }
        stdin.close();
        spawned.release();
        Exit exit = exitFor(process.exitValue());
        // Bookkeeping and the log line first: once the console sees exit, both are done.
        outcome.finished(exit);
        // The id is free before the console hears of the end: it may reuse it at once (RCON1.md 4);
        // the end counts once exit went out, so a shutdown's close never overtakes it.
        endedWith(exit);
    }

    /** The JDK reports death by signal N as 128+N, as {@code exit 128+N}: a status naming a signal is that signal. */
    private Exit exitFor(int status) {
        String signal = status > 128 ? ProcessGroups.signalName(status - 128) : null;
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return new Exit(request.id(), signal == null ? status : null, signal, timedOut.get(), durationMs,
                stdoutBytes.get(), stderrBytes.get());
    }

    /** True when processes of the command outlived its exit (background jobs, escapees). */
    public boolean hasLingering() {
        return finished ? leftBehind : gate.isOpen() && scope.hasMembers();
    }

    /** For a command that ended: once nothing of it is left, releases its scope (a cgroup); true then. */
    public boolean releaseIfGone() {
        return finished && scope.closeIfEmpty();
    }

    /** To the whole group, off the reader thread (kill(1) is a process start): see {@link SignalQueue}. */
    private void signal(SignalName signal) {
        if (!finished) {
            signalled = true;
            signals.offer(signal);
        }
    }

    /** On the timer. If the leader is gone, the members left keep the command open: they are terminated too. */
    private void deliver(SignalName signal) {
        scope.signal(signal.number());
        if (!process.isAlive()) {
            terminate();
        }
    }

    /** TERM now, KILL after the grace unless it ended; one still starting never starts, or gets it once it has. */
    @Override
    public void terminate() {
        if (gate.abandon(StartGate.Abandon.TERMINATE)) {
            return;
        }
        if (finished) {
            kill();
            return;
        }
        if (!terminating.compareAndSet(false, true)) {
            return;
        }
        killAfterEnd = true;
        scope.signal(SignalName.TERM.number());
        kill = settings.later(this::kill, settings.killGrace().toMillis());
        if (finished && !leftBehind) {
            // It died of the TERM and finished while kill(1) ran, before there was a KILL to cancel.
            ExecSettings.cancel(kill);
        }
    }

    /** KILL to whatever is left, members that outlived the leader too; once it ended, its scope goes. */
    @Override
    public void kill() {
        if (gate.abandon(StartGate.Abandon.KILL)) {
            return;
        }
        scope.killAll();
        if (finished) {
            scope.close();
        }
    }
}
