package dev.rcon.agent.exec;

import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One output stream of a command, read on the calling thread to its end and passed on in chunks
 * as they come; once the console takes no more, the rest is read and dropped, so the command
 * never blocks on a full pipe.
 *
 * <p>The stream's monitor is held from the first read to the end, between reads too: at the
 * leader's exit the JDK's reaper drains what a pipe's stream holds and closes it as soon as it
 * gets that monitor (it waits for it), and a background job that wrote after the leader exited
 * lost its output. While it waits, the JDK keeps the leader's pid among its exits: a process
 * started under the same pid then would be taken for the one that exited (docs/SECURITY.md,
 * "Limits of these defences"). Stdout's is taken even earlier, as the spawn returns, before the
 * command's start is awaited ({@code ExecChannel}); the reaper drains stdout before stderr, so it
 * waits there until stderr's pump holds stderr's, which the channel awaits before it reads stdout
 * (a stdout that ended at once, {@code exec >/dev/null}, let the reaper on to stderr before its
 * pump began). Only a leader that exits within the microseconds between the spawn's return and
 * that (its exec chain takes milliseconds) still gets the drain.
 */
final class OutputPump {
    /** Where each chunk goes; false once nothing more is to be sent. */
    interface Chunks {
        boolean send(byte[] buf, int n) throws InterruptedException;
    }

    private OutputPump() {
    }

    /**
     * Starts {@code pump} on a thread named {@code name} and returns once it holds its stream's
     * monitor (or ended without); it is given what to run then, to pass on to {@link #pump}.
     */
    static void startHolding(TaskStarter threads, String name, Consumer<Runnable> pump) {
        CountDownLatch held = new CountDownLatch(1);
        threads.start(name, () -> {
            try {
                pump.accept(held::countDown);
            } finally {
                held.countDown();
            }
        });
        Threads.awaitUninterruptibly(held);
    }

    /**
     * Reads {@code in} to its end (or a broken pipe, or EIO from a terminal with no process left),
     * then closes it; {@code holding} runs once this thread holds the stream's monitor.
     */
    static void pump(InputStream in, AtomicLong count, Chunks chunks, Runnable holding) {
        byte[] buf = new byte[Limits.CHUNK];
        boolean sending = true;
        try (in) {
            synchronized (in) {
                holding.run();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    count.addAndGet(n);
                    sending = sending && chunks.send(buf, n);
                }
            }
        } catch (IOException e) {
            // The pipe broke, or the terminal has no process left on it (EIO).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
