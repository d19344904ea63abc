package dev.rcon.common.wire;

import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads frames from one connection; used by exactly one thread. During the handshake it
 * returns raw bodies of an expected size; after {@link #startRecords} it opens AES-GCM records
 * and decodes their headers. Every length is checked before its buffer is allocated.
 *
 * <p>It buffers the stream itself, in one array where records are also opened: each socket read
 * takes whatever has arrived (several small records, or a whole chunk's record), and a record
 * is decrypted where it landed, so a byte is copied only when its payload is handed on. It had
 * read through an 8 KiB {@code BufferedInputStream}, a first read for each length and one or
 * more for the rest of the body, each followed by an {@code available()} call: about three and a
 * half system calls for every 64 KiB record a console received, and a tenth of its CPU for bulk
 * output (bench/README.md).
 */
public final class FrameReader {
    /** The buffer's first size: a handshake, headers and keystrokes never grow it. */
    static final int INITIAL = 8192;
    /** The most it grows to: a record of the kept size and one more read behind it. */
    static final int GROWN = RecordBuffer.KEPT + Limits.CHUNK;

    private final InputStream in;
    private final MessageCodec codec;
    private byte[] buf = new byte[INITIAL];
    /** The bytes read and not yet consumed are {@code buf[pos, lim)}. */
    private int pos;
    private int lim;
    private RecordCipher opener;

    public FrameReader(InputStream in, MessageCodec codec) {
        this.in = in;
        this.codec = codec;
    }

    /** Reads one handshake frame whose length must lie in {@code [min, max]}. */
    public byte[] readFrame(String what, int min, int max) throws IOException {
        long len = readLength(what);
        if (len < min || len > max) {
            String expected = min == max ? min + " bytes" : min + " to " + max + " bytes";
            throw new ProtocolException("expected " + what + " of " + expected + " but got length " + len);
        }
        int n = (int) len;
        if (n > RecordBuffer.KEPT) {
            return readLarge(what, n);
        }
        requireBuffered(what, n);
        pos += n;
        return Arrays.copyOfRange(buf, pos - n, pos);
    }

    /** From now on frames are records opened with {@code opener}. */
    public void startRecords(RecordCipher opener) {
        this.opener = opener;
    }

    /**
     * Reads, authenticates and decodes the next record.
     *
     * @throws BadRequestException for a record that authenticated but names an unknown type or
     *     field: the caller may answer it and go on
     * @throws EOFException at the end of the stream
     */
    public Message receive() throws IOException {
        if (opener == null) {
            throw new IllegalStateException("receive() before the handshake completed");
        }
        long len = readLength("record");
        if (len < Limits.MIN_RECORD || len > Limits.MAX_RECORD) {
            throw new ProtocolException("expected a record of " + Limits.MIN_RECORD + " to "
                    + Limits.MAX_RECORD + " bytes but got length " + len);
        }
        int n = (int) len;
        if (n > RecordBuffer.KEPT) {
            // Larger than the buffer ever grows: an array of its own that grows as its bytes
            // arrive, so four bytes cannot pin a MiB.
            byte[] record = readLarge("record", n);
            return decode(record, 0, opener.openInPlace(record, 0, n));
        }
        requireBuffered("record", n);
        int off = pos;
        pos += n;
        return decode(buf, off, opener.openInPlace(buf, off, n));
    }

    /** Decodes {@code plain[off, off + plainLen)}; only the payload is copied out of it. */
    private Message decode(byte[] plain, int off, int plainLen) throws ProtocolException {
        if (plainLen < Limits.HLEN_LEN) {
            throw new ProtocolException("expected a record with a header length but got "
                    + plainLen + " bytes");
        }
        long hlen = ByteBuffer.wrap(plain, off, Limits.HLEN_LEN).getInt() & 0xFFFFFFFFL;
        if (hlen < 1 || hlen > Limits.MAX_HEADER || hlen > plainLen - Limits.HLEN_LEN) {
            throw new ProtocolException("expected a header of 1 to " + Limits.MAX_HEADER
                    + " bytes inside the record but got hlen " + hlen);
        }
        int headerEnd = off + Limits.HLEN_LEN + (int) hlen;
        int payloadLen = off + plainLen - headerEnd;
        if (payloadLen > Limits.MAX_PAYLOAD) {
            throw new ProtocolException("expected a payload of at most " + Limits.MAX_PAYLOAD
                    + " bytes but got " + payloadLen);
        }
        byte[] payload = Arrays.copyOfRange(plain, headerEnd, off + plainLen);
        return codec.decode(plain, off + Limits.HLEN_LEN, (int) hlen, payload);
    }

    private long readLength(String what) throws IOException {
        int got = fill(4);
        if (got == 0) {
            throw new EOFException("connection closed before " + what);
        }
        if (got < 4) {
            throw new EOFException("connection closed inside the length of " + what);
        }
        pos += 4;
        return ByteBuffer.wrap(buf, pos - 4, 4).getInt() & 0xFFFFFFFFL;
    }

    private void requireBuffered(String what, int len) throws IOException {
        int got = fill(len);
        if (got < len) {
            throw cutShort(what, len, got);
        }
    }

    /**
     * Reads until {@code buf[pos, pos + need)} holds bytes or the stream ends, each read taking
     * whatever has arrived that fits; {@code need} is at most {@link RecordBuffer#KEPT}.
     *
     * @return how many unconsumed bytes the buffer holds, fewer than {@code need} only at the end
     */
    private int fill(int need) throws IOException {
        if (lim - pos >= need) {
            return lim - pos;
        }
        if (buf.length - pos < need) {
            byte[] into = buf;
            if (buf.length < need) {
                // Doubled at least, so a bulk stream grows it once or twice, never per record.
                into = new byte[Math.min(GROWN, Math.max(2 * need, 2 * buf.length))];
            }
            System.arraycopy(buf, pos, into, 0, lim - pos);
            buf = into;
            lim -= pos;
            pos = 0;
        }
        while (lim - pos < need) {
            // At most 64 KiB a call: on JDK 17 a socket read stages through a direct buffer of
            // the request's size, which the thread keeps and which counts against the unit's
            // MaxDirectMemorySize.
            int n = in.read(buf, lim, Math.min(buf.length - lim, Limits.CHUNK));
            if (n < 0) {
                break;
            }
            lim += n;
        }
        return lim - pos;
    }

    /** A body longer than the buffer: what is buffered, then the rest as it arrives. */
    private byte[] readLarge(String what, int len) throws IOException {
        int buffered = Math.min(lim - pos, len);
        byte[] rest = in.readNBytes(len - buffered);
        if (rest.length < len - buffered) {
            throw cutShort(what, len, buffered + rest.length);
        }
        byte[] body = Arrays.copyOfRange(buf, pos, pos + len);
        System.arraycopy(rest, 0, body, buffered, rest.length);
        pos += buffered;
        return body;
    }

    private static EOFException cutShort(String what, int len, int got) {
        return new EOFException("connection closed inside " + what + ": expected " + len
                + " bytes but got " + got);
    }
}
