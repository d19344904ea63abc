package dev.rcon.common.wire;

/**
 * An array a writer seals its records in, or a reader opens them into (from its {@link Inbox}:
 * JDK 17 decrypts an array onto itself through a fresh copy of it). A bulk transfer made four
 * arrays of garbage per 64 KiB record, and an agent under the unit's small heap spent a quarter
 * of a {@code put}'s CPU collecting them. Records up to a chunk and a generous header reuse it;
 * a larger one (the spec allows a MiB) gets an array of its own, so what a session keeps stays
 * bounded by {@link #KEPT}. Not thread-safe: its owner's lock or thread guards it.
 */
final class RecordBuffer {
    /** The largest array kept: a record of one chunk with a header of up to 4 KiB. */
    static final int KEPT = 4 + Limits.HLEN_LEN + 4096 + Limits.CHUNK + Limits.TAG_LEN;

    private byte[] kept = new byte[0];

    /** An array of at least {@code size} bytes; its contents are undefined. */
    byte[] take(int size) {
        if (size > KEPT) {
            return new byte[size];
        }
        if (kept.length < size) {
            kept = new byte[Math.min(KEPT, Math.max(size, 2 * kept.length))];
        }
        return kept;
    }
}
