package dev.rcon.agent.channel;

import java.util.ArrayDeque;

/**
 * Payload a console sent that waits for a command or a file to take it (a command's stdin, a
 * put's data). Payloads under {@link #SMALL} bytes are copied into a shared chunk instead of
 * queued one by one: the window counts payload bytes only, and a queued array costs about 30
 * bytes besides its payload, so a console sending one byte per record would make the window's
 * 4 MiB cost 120 MiB. With this, what waits costs at most about twice its payload.
 *
 * <p>Not thread-safe: its owner holds one lock around every call. A chunk taken out is no
 * longer touched by the queue, so it may be written outside that lock.
 */
public final class InputQueue {
    static final int SMALL = 1024;

    /** Queued bytes: a payload as it came, or small payloads gathered; only the last one still fills. */
    public static final class Chunk {
        private final byte[] bytes;
        private int length;

        private Chunk(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();

    /** Queues {@code payload}, which the caller no longer changes; an empty one adds nothing. */
    public void add(byte[] payload) {
        if (payload.length >= SMALL) {
            chunks.add(new Chunk(payload, payload.length));
        } else if (payload.length > 0) {
            // A payload kept as it came is always full, so only a gathering chunk takes more.
            Chunk tail = chunks.peekLast();
            if (tail == null || tail.bytes.length - tail.length < payload.length) {
                tail = new Chunk(new byte[SMALL], 0);
                chunks.add(tail);
            }
            System.arraycopy(payload, 0, tail.bytes, tail.length, payload.length);
            tail.length += payload.length;
        }
    }

    /** The oldest chunk, taken out; null when nothing waits. */
    public Chunk poll() {
        return chunks.poll();
    }

    public boolean isEmpty() {
        return chunks.isEmpty();
    }

    /** Drops everything that waits; returns how many payload bytes that was. */
    public int clear() {
        int dropped = 0;
        for (Chunk chunk : chunks) {
            dropped += chunk.length;
        }
        chunks.clear();
        return dropped;
    }
}
