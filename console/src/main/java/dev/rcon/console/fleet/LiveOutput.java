package dev.rcon.console.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The default fleet output: each line as {@code host: line} on stdout, stderr lines as
 * {@code host!: line} on stderr. Bytes are held per host and stream until a newline, so a line is
 * written whole and never mixed with another host's, however the bytes arrive. A line longer
 * than {@link #MAX_LINE} is written in pieces of that size, each with its prefix.
 */
public final class LiveOutput implements FleetOutput {
    static final int MAX_LINE = 1 << 20;

    private final Screen screen;
    private final Map<String, ByteArrayOutputStream> pending = new HashMap<>();

    public LiveOutput(Screen screen) {
        this.screen = screen;
    }

    @Override
    public void stdout(String host, byte[] bytes) throws IOException {
        lines(host, false, bytes);
    }

    @Override
    public void stderr(String host, byte[] bytes) throws IOException {
        lines(host, true, bytes);
    }

    private void lines(String host, boolean err, byte[] bytes) throws IOException {
        String key = (err ? "2 " : "1 ") + host;
        ByteArrayOutputStream buf;
        synchronized (pending) {
            buf = pending.computeIfAbsent(key, k -> new ByteArrayOutputStream());
        }
        // Each host's output arrives on its own connection's one reader thread, in order.
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                buf.write(bytes, start, i - start);
                emit(host, err, buf);
                start = i + 1;
            } else if (buf.size() + (i - start) >= MAX_LINE) {
                buf.write(bytes, start, i - start);
                emit(host, err, buf);
                start = i;
            }
        }
        buf.write(bytes, start, bytes.length - start);
    }

    private void emit(String host, boolean err, ByteArrayOutputStream line) throws IOException {
        byte[] prefix = (host + (err ? "!: " : ": ")).getBytes(StandardCharsets.UTF_8);
        byte[] whole = new byte[prefix.length + line.size() + 1];
        System.arraycopy(prefix, 0, whole, 0, prefix.length);
        System.arraycopy(line.toByteArray(), 0, whole, prefix.length, line.size());
        whole[whole.length - 1] = '\n';
        line.reset();
        if (err) {
            screen.err(whole);
        } else {
            screen.out(whole);
        }
    }

    @Override
    public void done(HostResult result) throws IOException {
        for (boolean err : new boolean[] {false, true}) {
            ByteArrayOutputStream buf;
            synchronized (pending) {
                buf = pending.remove((err ? "2 " : "1 ") + result.host());
            }
            if (buf != null && buf.size() > 0) {
                emit(result.host(), err, buf);
            }
        }
        if (result.outcome() != Outcome.OK) {
            screen.err((result.host() + "!: [" + result.describe() + "]\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
