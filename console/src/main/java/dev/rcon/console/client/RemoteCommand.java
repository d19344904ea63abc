package dev.rcon.console.client;

import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageType;
import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stderr;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** A command running on an agent: feed its stdin, signal its group, wait for its exit. */
public final class RemoteCommand implements Pending {
    /**
     * How long past its {@code --timeout} (the agent's kill grace is 2 s) a command's host may
     * take to report the end before the console gives up on it: the timeout is the agent's to
     * enforce, and a compromised or wedged host would otherwise hold the console for ever.
     */
    public static final Duration GIVE_UP_AFTER_TIMEOUT = Duration.ofSeconds(10);
    /** The Ctrl-C that gives up on a host (the first sends INT, the second KILL). */
    public static final int GIVE_UP_INTERRUPT = 3;
    private static final Duration RECHECK = Duration.ofMillis(100);

    private final int id;
    private final FrameWriter writer;
    private final OutputListener listener;
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();
    private final FlowControl flow;
    private final long sentNanos = System.nanoTime();
    /** Time spent passing output on locally, the pass under way excluded. */
    private final AtomicLong localNanos = new AtomicLong();
    /** When the pass under way began; 0 when none is. */
    private volatile long passingSince;
    /** Whether started arrived; only the session's reader thread delivers, so no lock. */
    private boolean hasStarted;

    RemoteCommand(int id, FrameWriter writer, OutputListener listener) {
        this.id = id;
        this.writer = writer;
        this.listener = listener;
        this.flow = new FlowControl(id, writer);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean deliver(Message m) throws IOException {
        inOrder(m);
        switch (m.type()) {
            case STARTED -> {
                hasStarted = true;
                started.complete(((Started) m).pid());
                passOn(() -> listener.started(((Started) m).pid()));
            }
            case STDOUT -> {
                byte[] bytes = ((Stdout) m).payload();
                flow.arrived(bytes.length);
                passOn(() -> listener.stdout(bytes));
                flow.consumed(bytes.length);
            }
            case STDERR -> {
                byte[] bytes = ((Stderr) m).payload();
                flow.arrived(bytes.length);
                passOn(() -> listener.stderr(bytes));
                flow.consumed(bytes.length);
            }
            case EXIT -> {
                flow.end();
                started.complete(-1L);
                exit.complete((Exit) m);
                return true;
            }
            case HELLO, EXEC, STDIN, SIGNAL, RESIZE, PUT, DATA, GET, FILE, DONE, WINDOW, PING, PONG, CLOSE, ERROR, KEYS,
                    KEY_LIST -> { }
        }
        return false;
    }

    /**
     * RCON1.md 4: started once, then output, then exit (an error instead of started ends the
     * request elsewhere). An agent that breaks the order is not trusted with the rest: the
     * session ends, as for any other protocol error, and nothing out of order is passed on.
     */
    private void inOrder(Message m) throws ProtocolException {
        boolean startedNow = m.type() == MessageType.STARTED;
        boolean needsStarted = m.type() == MessageType.STDOUT
                || m.type() == MessageType.STDERR || m.type() == MessageType.EXIT;
        if (startedNow && hasStarted) {
            throw new ProtocolException("expected started once for command " + id + " but got it again");
        }
        if (needsStarted && !hasStarted) {
            throw new ProtocolException("expected started before " + m.type().wireName() + " for command " + id
                    + " but got " + m.type().wireName() + " first");
        }
    }

    private interface LocalWrite {
        void run() throws IOException;
    }

    /** Runs {@code write}, timed: while it blocks (a pager not reading), the host's records wait unread. */
    private void passOn(LocalWrite write) throws IOException {
        long begun = System.nanoTime();
        passingSince = begun;
        try {
            write.run();
        } finally {
            // In this order: a look in between counts the pass twice (never a premature give-up), not never.
            localNanos.addAndGet(System.nanoTime() - begun);
            passingSince = 0;
        }
    }

    /**
     * How long the host has had to report the end: the time since the command was sent, less
     * the time the console spent passing its output on locally. Records that wait behind a
     * local reader that is slow, or paused, wait for the operator, not for the host.
     */
    public Duration hostTime() {
        long since = passingSince;
        long passing = since == 0 ? 0 : Math.max(0, System.nanoTime() - since);
        return Duration.ofNanos(Math.max(0, System.nanoTime() - sentNanos - localNanos.get() - passing));
    }

    /**
     * Waits for the exit until the host has had {@code limit} of {@link #hostTime}; null if the
     * command has not ended by then.
     */
    public Exit awaitHost(Duration limit) throws IOException, InterruptedException {
        for (Duration left = limit.minus(hostTime()); left.compareTo(Duration.ZERO) > 0; left = limit.minus(hostTime())) {
            Exit ended = await(atLeast(left));
            if (ended != null) {
                return ended;
            }
        }
        return exit.isDone() ? await() : null;
    }

    /**
     * {@code wait}, but no less than a tenth of a second: while output is being passed on the
     * host's clock stands still, and a wait for what is left of it would otherwise spin.
     */
    public static Duration atLeast(Duration wait) {
        return wait.compareTo(RECHECK) < 0 ? RECHECK : wait;
    }

    @Override
    public void window(long bytes) throws ProtocolException {
        flow.granted(bytes);
    }

    @Override
    public void fail(RemoteException e) {
        flow.end();
        started.completeExceptionally(e);
        exit.completeExceptionally(e);
    }

    public boolean isDone() {
        return exit.isDone();
    }

    /**
     * Sends {@code bytes} to the command's stdin as its window allows, a chunk a record at most
     * (a record's payload is limited to 1 MiB, the window to 4), blocking while the window is
     * empty (so the caller stops reading its own source). Once the command has ended, what is
     * left is dropped, as a pipe to an exited process would.
     */
    public void stdin(byte[] bytes) throws IOException {
        int off = 0;
        while (off < bytes.length) {
            int allowed = flow.credit(Math.min(Limits.CHUNK, bytes.length - off));
            if (allowed < 0) {
                return;
            }
            writer.send(Stdin.bytes(id, new byte[0]), bytes, off, allowed);
            off += allowed;
        }
    }

    public void closeStdin() throws IOException {
        writer.send(Stdin.eof(id));
    }

    public void signal(SignalName signal) throws IOException {
        if (!exit.isDone()) {
            writer.send(new Signal(id, signal));
        }
    }

    /** Tells the agent the command's terminal is now {@code cols} x {@code rows}. */
    public void resize(int cols, int rows) throws IOException {
        if (!exit.isDone()) {
            writer.send(new Resize(id, cols, rows));
        }
    }

    /**
     * Passes on the {@code nth} Ctrl-C ({@link SignalName#forInterrupt}) on a thread of its own:
     * an agent that stopped reading blocks the write, and neither the signal's handler nor the
     * next Ctrl-C (nor, in a fleet, the other hosts' signals) may wait behind it. A send that
     * fails means the session is ending, which {@link #await} reports; so it is not an error here.
     */
    public void interrupt(int nth) {
        dev.rcon.common.concurrent.Threads.start("interrupt-" + id + "-" + nth, () -> {
            try {
                signal(SignalName.forInterrupt(nth));
            } catch (IOException e) {
                // See above: await() says how the session ended.
            }
        });
    }

    /** The remote pid once started. */
    public long awaitStarted() throws IOException, InterruptedException {
        return get(started);
    }

    /** Waits for the exit; a request the agent refused throws {@link RemoteException}. */
    public Exit await() throws IOException, InterruptedException {
        return get(exit);
    }

    /** Waits at most {@code limit}; null if the command is still running. */
    public Exit await(Duration limit) throws IOException, InterruptedException {
        try {
            return exit.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static IOException unwrap(ExecutionException e) {
        return e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
}
