package dev.rcon.common.wire;

import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.MessageType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes frames to one connection. Synchronized: every thread of a session (the reader, the
 * output pumps, the timer) sends through the one writer, and sealing happens under the same
 * lock so that sequence numbers follow wire order. A slow peer blocks the sender here, which
 * is the backpressure that keeps an agent's memory flat.
 *
 * <p>It also knows when its side has closed: once {@code close} has gone out, sending it again
 * is a no-op and anything else is a {@link SessionClosedException}, so no record ever follows
 * {@code close} on the wire, whichever thread tries.
 */
public final class FrameWriter {
    private final OutputStream out;
    private final MessageCodec codec;
    private final RecordBuffer buffer = new RecordBuffer();
    private RecordCipher sealer;
    private boolean closed;
    private boolean limitReached;

    public FrameWriter(OutputStream out, MessageCodec codec) {
        this.out = out;
        this.codec = codec;
    }

    /** Writes one handshake frame (an empty body is the "denied" frame). */
    public synchronized void writeFrame(byte[] body) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(body);
        out.flush();
    }

    /** From now on everything sent is sealed with {@code sealer}. */
    public synchronized void startRecords(RecordCipher sealer) {
        this.sealer = sealer;
    }

    public void send(Message message) throws IOException {
        boolean isClose = message.type() == MessageType.CLOSE;
        byte[] payload = MessageCodec.payloadOf(message);
        sendRecord(message.type().wireName(), codec.encode(message), payload, 0, payload.length, isClose);
    }

    /**
     * Sends {@code carrier} (a message type with a payload, its own payload ignored) carrying
     * {@code buf[off, off + len)}: the same record as {@code send} of a copy of that slice,
     * without the copy. A command's output pump or a file's sender keeps one buffer this way
     * instead of a new array for every chunk.
     */
    public void send(Message.WithPayload carrier, byte[] buf, int off, int len) throws IOException {
        Message message = (Message) carrier;
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        sendRecord(message.type().wireName(), codec.encode(message), buf, off, len, false);
    }

    /**
     * Seals and sends a header that is already encoded. For tools and tests that must speak
     * what {@link Message} cannot express (a hostile peer's headers); everything else uses
     * {@link #send}.
     */
    public void sendHeader(byte[] header, byte[] payload) throws IOException {
        sendRecord("a raw header", header, payload, 0, payload.length, false);
    }

    private synchronized void sendRecord(String what, byte[] header, byte[] payload, int off, int len,
            boolean isClose) throws IOException {
        if (sealer == null) {
            throw new IllegalStateException("send() before the handshake completed");
        }
        if (closed) {
            if (isClose) {
                return;
            }
            throw new SessionClosedException(what);
        }
        // The last sequence number is kept for close, so a session at its limit ends cleanly: the
        // writer sends it itself (RCON1.md 3: "a side closes the session before seq_d reaches
        // 2^24"), whichever thread got there, so no sender that swallows the exception leaves the
        // session open and its peer waiting.
        if (sealer.sequence() >= Limits.MAX_SEQ - 1 && !isClose) {
            limitReached = true;
            sendRecord("close", codec.encode(new Close()), new byte[0], 0, 0, true);
            throw new RecordLimitException(Limits.MAX_SEQ);
        }
        if (len > Limits.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + len
                    + " bytes exceeds the limit of " + Limits.MAX_PAYLOAD);
        }
        if (header.length > Limits.MAX_HEADER) {
            throw new IllegalArgumentException("header of " + header.length
                    + " bytes exceeds the limit of " + Limits.MAX_HEADER);
        }
        int plainLen = Limits.HLEN_LEN + header.length + len;
        byte[] record = buffer.take(4 + plainLen + Limits.TAG_LEN);
        ByteBuffer.wrap(record, 4, plainLen).putInt(header.length).put(header).put(payload, off, len);
        int recordLen = sealer.sealInPlace(record, plainLen);
        // Closed before the write: if the write fails, the session is over all the same.
        closed = isClose;
        out.write(record, 0, recordLen);
        out.flush();
    }

    /** True once this side ran out of sequence numbers and so sent {@code close} by itself. */
    public synchronized boolean limitReached() {
        return limitReached;
    }

    /** True once this side has sent (or tried to send) {@code close}. */
    public synchronized boolean isClosed() {
        return closed;
    }
}
