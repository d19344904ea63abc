package dev.rcon.console.io;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A file descriptor read through its {@link FileChannel}, so that {@link #close()} releases a
 * thread blocked in {@code read} (it gets an {@link java.nio.channels.AsynchronousCloseException}).
 * A {@link FileInputStream} cannot be woken that way, and the JVM's exit waits about 300 ms for
 * any thread still in native code: a pump reading an open pipe or the terminal made every remote
 * terminal session and every one-shot with stdin on a pipe end that much later (bench/README.md).
 * A channel also closes when a thread reading it is interrupted, so no reader of stdin may be
 * interrupted: that would close it for the whole console.
 */
public final class ReleasableInput extends InputStream {
    private final FileInputStream file;
    private final FileChannel channel;

    public ReleasableInput(FileInputStream file) {
        this.file = file;
        this.channel = file.getChannel();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        if (n == 0) {
            // A channel reads nothing where a non-blocking descriptor says EAGAIN; readers loop on 0.
            throw new IOException("stdin is in non-blocking mode and has nothing to read");
        }
        return n;
    }

    /** What a read would return without blocking; 0 once closed, as for a stream at its end. */
    @Override
    public int available() throws IOException {
        return channel.isOpen() ? file.available() : 0;
    }

    /** Closes the descriptor and releases every thread blocked reading it; idempotent. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
