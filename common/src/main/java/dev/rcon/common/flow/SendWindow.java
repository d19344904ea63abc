package dev.rcon.common.flow;

import dev.rcon.common.wire.ProtocolException;

/**
 * How many payload bytes this side may still send on one channel. A producer (an output pump,
 * a file reader, the local stdin) takes credit before each send and blocks while there is none,
 * so backpressure reaches the source of the data instead of a buffer. The peer's {@code window}
 * records add credit; closing the channel wakes every waiter.
 */
public final class SendWindow {
    private long available = Windows.INITIAL;
    private boolean closed;

    /**
     * Waits until some credit is there and takes up to {@code wanted} bytes of it.
     *
     * @return the bytes granted (1 to {@code wanted}), or -1 once the window was closed
     */
    public synchronized int acquire(int wanted) throws InterruptedException {
        if (wanted < 1) {
            throw new IllegalArgumentException("wanted must be positive but was " + wanted);
        }
        while (available == 0 && !closed) {
            wait();
        }
        if (closed) {
            return -1;
        }
        int granted = (int) Math.min(wanted, available);
        available -= granted;
        return granted;
    }

    /**
     * Adds {@code bytes} of credit from the peer's {@code window} record.
     *
     * @throws ProtocolException when the window would exceed 2^31-1 bytes, which the spec forbids
     */
    public synchronized void grant(int channel, long bytes) throws ProtocolException {
        if (bytes > Windows.MAX - available) {
            throw new ProtocolException("expected a window of at most " + Windows.MAX + " bytes on channel "
                    + channel + " but got " + available + " + " + bytes);
        }
        available += bytes;
        notifyAll();
    }

    /** Credit left right now; for tests and diagnostics. */
    public synchronized long available() {
        return available;
    }

    /** Ends the channel's sending: waiters return -1 at once. Idempotent. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
