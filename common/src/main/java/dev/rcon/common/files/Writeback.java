package dev.rcon.common.files;

import dev.rcon.common.concurrent.Threads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file being received back to disk as it comes: each time another {@link #EVERY} bytes
 * have been written, one {@code fdatasync} on a thread of its own (one at a time), while the
 * transfer goes on. Without it the whole file waited, still dirty in the page cache, for the
 * sync before the rename (a 512 MiB put is far below the kernel's background-writeback
 * threshold on a large host): half a second on this kind of disk after the last byte arrived.
 */
final class Writeback {
    static final long EVERY = 32L << 20;

    private final FileChannel channel;
    private final AtomicLong started = new AtomicLong();
    private final Object lock = new Object();
    /** Written by the file's one writer only. */
    private long next = EVERY;
    /** Guarded by lock: whether a sync runs, and the first that failed. */
    private boolean running;
    private IOException failed;

    Writeback(FileChannel channel) {
        this.channel = channel;
    }

    /** The file now holds {@code size} bytes; starts a sync when another step is full and none runs. */
    void written(long size) {
        if (size < next) {
            return;
        }
        next = size + EVERY;
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
        }
        started.incrementAndGet();
        try {
            Threads.start("staged-writeback", this::sync);
        } catch (OutOfMemoryError e) {
            // No thread to spare: the commit's own sync writes it all, as it did before.
            ended(null);
        }
    }

    private void sync() {
        IOException error = null;
        try {
            channel.force(false);
        } catch (ClosedChannelException e) {
            // Abandoned meanwhile: nothing will be committed.
        } catch (IOException e) {
            error = e;
        } finally {
            ended(error);
        }
    }

    private void ended(IOException error) {
        synchronized (lock) {
            if (failed == null) {
                failed = error;
            }
            running = false;
            lock.notifyAll();
        }
    }

    /**
     * Waits for a sync under way (as long as it takes the disk) and says whether any failed: the
     * kernel reports a write-back error to one sync only, so the commit's own may not see it.
     *
     * @return the first failure, or null
     */
    IOException await() throws InterruptedIOException {
        synchronized (lock) {
            while (running) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while the file was being written back");
                }
            }
            return failed;
        }
    }

    /** Syncs started so far (tests). */
    long started() {
        return started.get();
    }
}
