package dev.rcon.common.flow;

import dev.rcon.common.wire.ProtocolException;

/**
 * The receiving side of one channel's window. Every payload that arrives is counted against it
 * (a peer that overruns it has broken the protocol); every payload the receiver has consumed
 * (written to a pipe, a file or a terminal) becomes credit to give back. Credit goes back in
 * batches of {@link Windows#GRANT_BATCH}, or as soon as everything received was consumed, so
 * that bulk data costs few {@code window} records and a trickle of keystrokes never stalls.
 */
public final class ReceiveWindow {
    private final int channel;
    private long remaining = Windows.INITIAL;
    private long unconsumed;
    private long ungranted;

    public ReceiveWindow(int channel) {
        this.channel = channel;
    }

    /**
     * Counts {@code bytes} of payload that just arrived.
     *
     * @throws ProtocolException when the peer sent more than its window allowed
     */
    public synchronized void received(int bytes) throws ProtocolException {
        if (bytes > remaining) {
            throw new ProtocolException("expected at most " + remaining + " payload bytes on channel " + channel
                    + " but got " + bytes);
        }
        remaining -= bytes;
        unconsumed += bytes;
    }

    /**
     * Records that {@code bytes} of what arrived were consumed.
     *
     * @return the credit to send back now in a {@code window} record, or 0 for none yet
     */
    public synchronized int consumed(int bytes) {
        unconsumed = Math.max(0, unconsumed - bytes);
        ungranted += bytes;
        if (ungranted >= Windows.GRANT_BATCH || (unconsumed == 0 && remaining < Windows.INITIAL / 2)) {
            int grant = (int) ungranted;
            ungranted = 0;
            remaining += grant;
            return grant;
        }
        return 0;
    }
}
