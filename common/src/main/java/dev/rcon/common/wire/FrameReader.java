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
 */
public final class FrameReader {
    private final Inbox inbox;
    private final MessageCodec codec;
    private final RecordBuffer plainBuffer = new RecordBuffer();
    private RecordCipher opener;

    /**
     * Reads {@code in} directly, in reads as large as its kept array allows: a buffering stream in
     * front of it would only add calls and a copy.
     */
    public FrameReader(InputStream in, MessageCodec codec) {
        this.inbox = new Inbox(in);
        this.codec = codec;
    }

    /** Reads one handshake frame whose length must lie in {@code [min, max]}. */
    public byte[] readFrame(String what, int min, int max) throws IOException {
        long len = readLength(what);
        if (len < min || len > max) {
            String expected = min == max ? min + " bytes" : min + " to " + max + " bytes";
            throw new ProtocolException("expected " + what + " of " + expected + " but got length " + len);
        }
        return readBody(what, (int) len);
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
            // One larger than the kept array grows as its bytes arrive: four bytes cannot pin a MiB.
            byte[] record = inbox.takeLarge("record", n);
            byte[] plain = new byte[n];
            return decode(plain, opener.open(record, 0, n, plain));
        }
        need("record", n);
        byte[] plain = plainBuffer.take(n);
        int plainLen = opener.open(inbox.array(), inbox.start(), n, plain);
        inbox.skip(n);
        return decode(plain, plainLen);
    }

    /** Decodes {@code plain[0, plainLen)}; only the payload is copied out of it. */
    private Message decode(byte[] plain, int plainLen) throws ProtocolException {
        if (plainLen < Limits.HLEN_LEN) {
            throw new ProtocolException("expected a record with a header length but got "
                    + plainLen + " bytes");
        }
        long hlen = ByteBuffer.wrap(plain, 0, Limits.HLEN_LEN).getInt() & 0xFFFFFFFFL;
        if (hlen < 1 || hlen > Limits.MAX_HEADER || hlen > plainLen - Limits.HLEN_LEN) {
            throw new ProtocolException("expected a header of 1 to " + Limits.MAX_HEADER
                    + " bytes inside the record but got hlen " + hlen);
        }
        int headerEnd = Limits.HLEN_LEN + (int) hlen;
        int payloadLen = plainLen - headerEnd;
        if (payloadLen > Limits.MAX_PAYLOAD) {
            throw new ProtocolException("expected a payload of at most " + Limits.MAX_PAYLOAD
                    + " bytes but got " + payloadLen);
        }
        byte[] payload = Arrays.copyOfRange(plain, headerEnd, plainLen);
        return codec.decode(plain, Limits.HLEN_LEN, (int) hlen, payload);
    }

    private long readLength(String what) throws IOException {
        int got = inbox.fill(4);
        if (got == 0) {
            throw new EOFException("connection closed before " + what);
        }
        if (got > 0) {
            throw new EOFException("connection closed inside the length of " + what);
        }
        long len = ByteBuffer.wrap(inbox.array(), inbox.start(), 4).getInt() & 0xFFFFFFFFL;
        inbox.skip(4);
        return len;
    }

    private byte[] readBody(String what, int len) throws IOException {
        if (len > RecordBuffer.KEPT) {
            return inbox.takeLarge(what, len);
        }
        need(what, len);
        byte[] body = Arrays.copyOfRange(inbox.array(), inbox.start(), inbox.start() + len);
        inbox.skip(len);
        return body;
    }

    /** The next {@code len} bytes (their length already checked) present in the inbox. */
    private void need(String what, int len) throws IOException {
        int got = inbox.fill(len);
        if (got >= 0) {
            throw Inbox.cutShort(what, len, got);
        }
    }
}
