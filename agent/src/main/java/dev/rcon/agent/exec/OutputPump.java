package dev.rcon.agent.exec;

import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output stream of a command, read on the calling thread to its end and passed on in chunks
 * as they come; once the console takes no more, the rest is read and dropped, so the command
 * never blocks on a full pipe.
 *
 * <p>The stream's monitor is held from the first read to the end, between reads too: at the
 * leader's exit the JDK's reaper drains a pipe's stream and closes it unless it can take that
 * monitor, and a background job that wrote after the leader exited lost its output. Stdout's is
 * taken even earlier, as the spawn returns, before the command's start is awaited
 * ({@code ExecChannel}); the reaper drains stdout before stderr, so it waits there while stderr's
 * pump starts. Only a leader that exits within the microseconds between the spawn's return and
 * that (its exec chain takes milliseconds) still gets the drain.
 */
final class OutputPump {
    /** Where each chunk goes; false once nothing more is to be sent. */
    interface Chunks {
        boolean send(byte[] buf, int n) throws InterruptedException;
    }

    private OutputPump() {
    }

    /** Reads {@code in} to its end (or a broken pipe, or EIO from a terminal with no process left), then closes it. */
    static void pump(InputStream in, AtomicLong count, Chunks chunks) {
        byte[] buf = new byte[Limits.CHUNK];
        boolean sending = true;
        try (in) {
            synchronized (in) {
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
