package dev.rcon.common.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * What a reader has read from its stream and not yet handed out, in one kept array that the
 * stream is read straight into. A read asks for as much as the array has room for, so it may
 * bring the start of the next frame too: a 64 KiB record then costs one read, where a
 * {@code BufferedInputStream} in front of the socket cost three calls (a read into its 8 KiB
 * buffer, a read of the rest, and an {@code ioctl(FIONREAD)} between them) and a copy out of its
 * buffer. The array starts at 8 KiB and grows only as a frame whose length was checked needs it,
 * up to {@link RecordBuffer#KEPT}; larger frames never pass through it. Not thread-safe: one
 * reader's thread owns it.
 */
final class Inbox {
    private static final int INITIAL = 8192;

    private final InputStream in;
    private byte[] bytes = new byte[INITIAL];
    private int start;
    private int end;

    Inbox(InputStream in) {
        this.in = in;
    }

    byte[] array() {
        return bytes;
    }

    /** Where the bytes not yet handed out begin in {@link #array()}. */
    int start() {
        return start;
    }

    /** Hands out the next {@code n} bytes, which {@link #fill} made present. */
    void skip(int n) {
        start += n;
    }

    /**
     * Makes the next {@code need} bytes (at most {@link RecordBuffer#KEPT}) present and contiguous
     * from {@link #start()}.
     *
     * @return how many were present when the stream ended short of {@code need}, or -1 once all are
     */
    int fill(int need) throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (bytes.length - start < need) {
            makeRoom(need);
        }
        while (end - start < need) {
            // At most 64 KiB a call: on JDK 17 a socket read stages through a direct buffer of the
            // request's size, which the thread keeps and which counts against MaxDirectMemorySize.
            int n = in.read(bytes, end, Math.min(bytes.length - end, Limits.CHUNK));
            if (n < 0) {
                return end - start;
            }
            end += n;
        }
        return -1;
    }

    /**
     * The next {@code len} bytes in an array of their own, for a frame too large for the kept
     * array: what is present first, then the rest as it arrives (InputStream.readNBytes grows its
     * buffers with what came, so a length alone pins no MiB).
     */
    byte[] takeLarge(String what, int len) throws IOException {
        int present = Math.min(end - start, len);
        byte[] rest = in.readNBytes(len - present);
        if (rest.length < len - present) {
            throw cutShort(what, len, present + rest.length);
        }
        if (present == 0) {
            return rest;
        }
        byte[] body = new byte[len];
        System.arraycopy(bytes, start, body, 0, present);
        System.arraycopy(rest, 0, body, present, rest.length);
        start += present;
        return body;
    }

    static EOFException cutShort(String what, int len, int got) {
        return new EOFException("connection closed inside " + what + ": expected " + len
                + " bytes but got " + got);
    }

    /** Moves what is present to the front, into a larger array if {@code need} does not fit. */
    private void makeRoom(int need) {
        byte[] into = bytes;
        if (need > bytes.length) {
            into = new byte[Math.min(RecordBuffer.KEPT, Math.max(need, 2 * bytes.length))];
        }
        System.arraycopy(bytes, start, into, 0, end - start);
        end -= start;
        start = 0;
        bytes = into;
    }
}
