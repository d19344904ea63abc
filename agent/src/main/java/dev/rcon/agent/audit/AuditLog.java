package dev.rcon.agent.audit;

import dev.rcon.common.files.OwnerOnly;
import com.fasterxml.jackson.core.JsonFactory;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.files.FileErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Appends audit events to a file, one JSON line each, chained by the SHA-256 of the previous
 * line. Events are queued (bounded) and written by one thread of their own, so a slow disk never
 * blocks a session. The file is created 0600 and opened for appending; when it is moved away
 * (rotated), the next line starts a new file that continues the chain. A failed write is an
 * error line in the agent's log, at most once a minute, and the agent keeps serving: an audit
 * that cannot be written must not take the fleet's remote access down with it.
 */
public final class AuditLog implements AutoCloseable {
    private static final int QUEUE = 10_000;
    /** Events written with one sync at most. */
    private static final int BATCH = 1_000;
    /** ... and of at most about this many characters. */
    private static final int BATCH_CHARS = 1 << 20;
    private static final Object STOP = new Object();

    private final Path file;
    private final Consumer<String> errors;
    private final JsonFactory json = new JsonFactory();
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private String prev;
    private FileChannel channel;
    private Object channelKey;
    private long lastErrorNanos = Long.MIN_VALUE;
    private long dropped;
    /** Lines chained but not yet written (the writer's own): their count, and the hash they chain from. */
    private final StringBuilder pending = new StringBuilder();
    private int pendingEvents;
    private String pendingFrom;
    /** Of {@link #dropped}, what the pending lines carry in their dropped_before. */
    private long carried;
    private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();

    /** @param errors where failures go (the agent's error log); called rarely */
    public AuditLog(Path file, Consumer<String> errors) {
        this(file, errors, true);
    }

    /** For tests that queue events before the writer runs: {@link #startWriter} starts it. */
    AuditLog(Path file, Consumer<String> errors, boolean start) {
        this.file = file;
        this.errors = errors;
        this.prev = lastHash(file);
        this.writer = Threads.daemon("audit-writer", this::drain);
        if (start) {
            writer.start();
        }
    }

    void startWriter() {
        writer.start();
    }

    /** How many times the file was synced so far. */
    long syncs() {
        return syncs.get();
    }

    /** A new event of kind {@code event}; fill its fields, then {@link #append} it. */
    public AuditEvent event(String event) {
        return new AuditEvent(AuditEvent.time(Instant.now()), event);
    }

    /** Queues {@code event}; never blocks. A full queue drops it and says so in the next line. */
    public void append(AuditEvent event) {
        if (!queue.offer(event)) {
            synchronized (this) {
                dropped++;
            }
        }
    }

    private void drain() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                if (!writeBatch(batch)) {
                    return;
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeChannel();
        }
    }

    /**
     * Writes the events in {@code batch} and syncs the file once for all of them, before any
     * flush waiting behind them is told. One sync per line (some 4 ms on a virtual disk) let a
     * key holder's flood of cheap requests fill the queue, so that later events, its next command
     * among them, were dropped.
     *
     * @return false once the batch held {@link #STOP}
     */
    private boolean writeBatch(List<Object> batch) {
        for (Object next : batch) {
            if (next instanceof AuditEvent event) {
                chain(event);
                if (pending.length() >= BATCH_CHARS) {
                    // Lines near the 16 KiB header limit: a thousand of them, copied to bytes, would be a
                    // large share of the unit's heap at once.
                    commit();
                }
            } else {
                commit();
                if (next == STOP) {
                    return false;
                }
                ((java.util.concurrent.CountDownLatch) next).countDown();
            }
        }
        commit();
        return true;
    }

    /** Puts {@code event} on the chain as a pending line: its {@code prev}, then the hash that follows. */
    private void chain(AuditEvent event) {
        long lost;
        synchronized (this) {
            lost = dropped;
            dropped = 0;
        }
        if (lost > 0) {
            event.put("dropped_before", lost);
            carried += lost;
        }
        if (pendingEvents++ == 0) {
            pendingFrom = prev;
        }
        event.put("prev", prev);
        String line = event.toJson(json);
        prev = AuditChain.hashOf(line);
        pending.append(line).append('\n');
    }

    /** Writes the pending lines with one sync; if they cannot be, the chain goes on from where they chained. */
    private void commit() {
        if (pendingEvents == 0) {
            return;
        }
        long counted = carried;
        int events = pendingEvents;
        carried = 0;
        pendingEvents = 0;
        long start = -1;
        try {
            FileChannel out = open();
            start = out.size();
            ByteBuffer bytes = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
            syncs.incrementAndGet();
        } catch (IOException e) {
            cutBackTo(start);
            closeChannel();
            prev = pendingFrom;
            synchronized (this) {
                // Counted, so that the next line written says how many are missing before it:
                // these lines, and the ones their dropped_before counted.
                dropped += events + counted;
            }
            long now = System.nanoTime();
            if (lastErrorNanos == Long.MIN_VALUE || now - lastErrorNanos > 60_000_000_000L) {
                lastErrorNanos = now;
                errors.accept("audit: cannot write " + file + ": " + reason(e)
                        + " (events are lost until it can; the agent keeps serving)");
            }
        } finally {
            pending.setLength(0);
        }
    }

    /**
     * What went wrong, in words. The JDK's file exceptions often hold only a path: an agent not
     * allowed to write the default trail logged "cannot write /var/log/rcon/audit.jsonl:
     * /var/log/rcon/audit.jsonl".
     */
    private String reason(IOException e) {
        // Only making the trail's directories throws "already exists" here.
        return FileErrors.inTheWayOfADirectory(e).orElseGet(() -> FileErrors.reason(file, e));
    }

    /** The open file, reopened when it was moved away or replaced (rotation). */
    private FileChannel open() throws IOException {
        Object key = null;
        try {
            key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            // Rotated away: a new file starts below, and carries on the chain.
        }
        if (channel != null && key != null && key.equals(channelKey)) {
            return channel;
        }
        closeChannel();
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, OwnerOnly.DIRECTORY);
        }
        channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND),
                OwnerOnly.FILE);
        channelKey = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        return channel;
    }

    /**
     * Cuts off what a failed write left after {@code start} (a full disk stops one part-way
     * through a line): the next line would be appended to that part, and the trail would fail
     * verification as if edited. The lines cut are counted as dropped, and the chain goes on
     * from the last whole line.
     */
    private void cutBackTo(long start) {
        if (channel != null && start >= 0) {
            try {
                channel.truncate(start);
            } catch (IOException e) {
                // The error line says the trail cannot be written; verification will say where.
            }
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing is all we wanted.
            }
            channel = null;
        }
    }

    /** The hash the next line continues from: that of the file's last line, or the origin. */
    private static String lastHash(Path file) {
        String last = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    last = line;
                }
            }
        } catch (IOException e) {
            return AuditChain.ORIGIN;
        }
        return last == null ? AuditChain.ORIGIN : AuditChain.hashOf(last);
    }

    /** Waits, at most {@code limit}, until every event appended so far is written (or failed). */
    public boolean flush(java.time.Duration limit) throws InterruptedException {
        java.util.concurrent.CountDownLatch flushed = new java.util.concurrent.CountDownLatch(1);
        return queue.offer(flushed, limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                && flushed.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Writes what is queued, then stops; bounded. Idempotent. */
    @Override
    public void close() {
        if (writer.isAlive()) {
            try {
                queue.put(STOP);
                writer.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
