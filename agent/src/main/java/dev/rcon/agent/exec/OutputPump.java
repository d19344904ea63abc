package dev.rcon.agent.exec;

import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output stream of a command, read on the calling thread to its end and passed on in chunks
 * as they come; once the console takes no more, the rest is read and dropped, so the command
 * never blocks on a full pipe. The stream is the agent's own ({@link ProcessPipes}): the JDK's
 * reaper neither drains nor closes it at the leader's exit, so a background job's later output
 * comes through, and the stream ends when the last process holding the pipe lets go of it.
 */
final class OutputPump {
    /** Where each chunk goes; false once nothing more is to be sent. */
    interface Chunks {
        boolean send(byte[] buf, int n) throws InterruptedException;
    }

    private OutputPump() {
    }

    /**
     * Reads {@code in} to its end (or a broken pipe, or EIO from a terminal with no process left),
     * then closes it.
     */
    static void pump(InputStream in, AtomicLong count, Chunks chunks) {
        byte[] buf = new byte[Limits.CHUNK];
        boolean sending = true;
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                count.addAndGet(n);
                sending = sending && chunks.send(buf, n);
            }
        } catch (IOException e) {
            // The pipe broke, or the terminal has no process left on it (EIO).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
