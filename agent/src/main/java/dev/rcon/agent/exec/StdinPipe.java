package dev.rcon.agent.exec;

import dev.rcon.agent.channel.InputQueue;
import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.io.Closing;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A command's stdin, fed from the session's reader thread without ever blocking it. Bytes wait
 * in a queue (bounded by the channel's window, so by W0) and a writer thread, which exists only
 * while bytes are waiting, moves them into the pipe. A command that never reads stalls only
 * that writer. Once the pipe is broken or closed, what arrives is dropped, as a pipe would.
 * Bytes that arrive while the command is still starting wait until it is {@link #attach attached}.
 */
final class StdinPipe {
    /** What the console's stdin eof does before the pipe is closed: a terminal types its EOF character. */
    @FunctionalInterface
    interface EndOfInput {
        void end() throws IOException;
    }

    private final TaskStarter threads;
    private final String threadName;
    private final IntConsumer consumed;
    private final Runnable onClosed;
    private final Consumer<Runnable> retryLater;
    private final InputQueue queue = new InputQueue();
    private OutputStream pipe;
    private EndOfInput endOfInput;
    private boolean attached;
    private boolean eofQueued;
    private boolean writing;
    /** A start the host had no thread for is to be tried again on the timer: one such try at a time. */
    private boolean retryPending;
    private boolean closed;

    /**
     * @param threads where the writer thread comes from
     * @param retryLater runs its argument a little later (the agent's timer), to start a writer
     *     the host had no thread for
     * @param consumed told how many bytes left the queue, written or dropped
     * @param onClosed told (maybe more than once) that nothing will wait here any more: what
     *     arrives from then on is dropped at once
     */
    StdinPipe(TaskStarter threads, String threadName, IntConsumer consumed, Runnable onClosed,
              Consumer<Runnable> retryLater) {
        this.threads = threads;
        this.threadName = threadName;
        this.consumed = consumed;
        this.onClosed = onClosed;
        this.retryLater = retryLater;
    }

    /**
     * Connects the started command; what waited is written now. Once only.
     *
     * @param pipe the command's stdin, or null when the command has none (its bytes are dropped)
     * @param endOfInput run once for the console's eof, after the bytes before it were written
     */
    void attach(OutputStream pipe, EndOfInput endOfInput) {
        boolean drop;
        synchronized (this) {
            this.pipe = pipe;
            this.endOfInput = endOfInput;
            attached = true;
            drop = closed || pipe == null;
            if (!drop && (!queue.isEmpty() || eofQueued)) {
                startWriter();
            }
        }
        if (drop) {
            close();
        }
    }

    /** Queues {@code bytes} (and then EOF, if {@code eof}); never blocks. */
    void offer(byte[] bytes, boolean eof) {
        boolean drop;
        synchronized (this) {
            drop = closed || (attached && pipe == null) || eofQueued;
            if (!drop) {
                queue.add(bytes);
                eofQueued |= eof;
                // With a retry pending the host had no thread a moment ago: the retry takes these too.
                if (attached && !writing && !retryPending) {
                    startWriter();
                }
            }
        }
        if (drop && bytes.length > 0) {
            consumed.accept(bytes.length);
        }
    }

    /**
     * Under the lock. A host at its thread limit gives no writer (OutOfMemoryError): what waits
     * stays queued, within the window, and the start is tried again a little later (an eof may
     * already be queued, so no offer may come to try it).
     */
    private void startWriter() {
        try {
            threads.start(threadName, this::drain);
            writing = true;
        } catch (OutOfMemoryError e) {
            writing = false;
            try {
                retryLater.accept(this::retryWriter);
                retryPending = true;
            } catch (RuntimeException | OutOfMemoryError stopping) {
                // The agent is shutting down (the command ends with it), or its timer got no thread either.
            }
        }
    }

    private synchronized void retryWriter() {
        retryPending = false;
        if (!closed && attached && pipe != null && !writing && (!queue.isEmpty() || eofQueued)) {
            startWriter();
        }
    }

    private void drain() {
        while (true) {
            InputQueue.Chunk next;
            boolean eof;
            synchronized (this) {
                if (closed) {
                    // close() left the pipe to this writer, whose write may have held its lock.
                    writing = false;
                    break;
                }
                next = queue.poll();
                eof = next == null && eofQueued;
                if (next == null && !eof) {
                    writing = false;
                    return;
                }
            }
            if (eof) {
                try {
                    endOfInput.end();
                } catch (IOException e) {
                    // The command ended: there is no input left to end.
                }
                close();
                continue;
            }
            write(next);
            consumed.accept(next.length());
        }
        Closing.quietly(pipe);
    }

    private void write(InputQueue.Chunk chunk) {
        try {
            pipe.write(chunk.bytes(), 0, chunk.length());
            pipe.flush();
        } catch (IOException e) {
            // The command closed its stdin or ended: the rest is dropped, as a pipe would.
            close();
        }
    }

    /**
     * Closes the pipe; queued bytes are dropped (and counted as consumed). Idempotent; a pipe
     * attached later is closed at once. Never blocks: while a writer runs, the writer closes the
     * pipe once its write returns. Its write holds the stream's lock, which closing takes too, and
     * a job the command left that keeps its stdin and never reads it blocks that write for as long
     * as the job lives: the command's end, closing here, waited as long, and its exit never went out.
     */
    void close() {
        int dropped = 0;
        OutputStream pipe;
        synchronized (this) {
            closed = true;
            pipe = writing ? null : this.pipe;
            dropped = queue.clear();
        }
        if (dropped > 0) {
            consumed.accept(dropped);
        }
        onClosed.run();
        Closing.quietly(pipe);
    }
}
