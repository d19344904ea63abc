package dev.rcon.console.client;

import dev.rcon.common.flow.ReceiveWindow;
import dev.rcon.common.flow.SendWindow;
import dev.rcon.common.msg.Window;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;

/**
 * The console's side of one request's windows (RCON1.md section 4.1): what it may still send
 * (stdin, a put's data) and what the agent may still send it (output, a get's data). Credit goes
 * back only after the local consumer took the bytes, so a slow terminal or disk slows the remote
 * producer instead of filling memory.
 */
final class FlowControl {
    private final int id;
    private final FrameWriter writer;
    private final SendWindow send = new SendWindow();
    private final ReceiveWindow receive;

    FlowControl(int id, FrameWriter writer) {
        this.id = id;
        this.writer = writer;
        this.receive = new ReceiveWindow(id);
    }

    void granted(long bytes) throws ProtocolException {
        send.grant(id, bytes);
    }

    /** Counts a payload from the agent; an overrun is a protocol error that ends the session. */
    void arrived(int bytes) throws ProtocolException {
        receive.received(bytes);
    }

    /** The local consumer took {@code bytes}: give the agent credit back when a batch is due. */
    void consumed(int bytes) throws IOException {
        int grant = receive.consumed(bytes);
        if (grant > 0) {
            writer.send(new Window(id, grant));
        }
    }

    /**
     * Blocks until up to {@code wanted} bytes may be sent.
     *
     * @return the bytes allowed now, or -1 once the request has ended
     */
    int credit(int wanted) throws IOException {
        try {
            return send.acquire(wanted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the agent's window");
        }
    }

    /** The request ended: whoever waits for credit gives up. */
    void end() {
        send.close();
    }
}
