package dev.rcon.console.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Bounds the whole handshake, not each read: before every read it sets the socket's timeout to
 * what is left until the deadline, so a peer that trickles bytes cannot stretch the connect
 * timeout. {@link #clear} lifts the bound once the session is up.
 */
final class DeadlineInputStream extends FilterInputStream {
    private final Socket socket;
    private volatile long deadlineNanos;

    DeadlineInputStream(Socket socket, InputStream in, long deadlineNanos) {
        super(in);
        this.socket = socket;
        this.deadlineNanos = deadlineNanos;
    }

    void clear() throws IOException {
        deadlineNanos = 0;
        socket.setSoTimeout(0);
    }

    private void arm() throws IOException {
        long deadline = deadlineNanos;
        if (deadline == 0) {
            return;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("handshake deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read() throws IOException {
        arm();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return super.read(b, off, len);
    }
}
