package dev.rcon.console.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --outdir DIR}: for each host, {@code DIR/HOST.out}, {@code DIR/HOST.err} and
 * {@code DIR/HOST.status} (the exit code, {@code signal NAME}, or why it did not run).
 */
public final class OutdirOutput implements FleetOutput {
    private final Path dir;
    private final Map<String, OutputStream> open = new HashMap<>();

    public OutdirOutput(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    private OutputStream stream(String host, String suffix) {
        synchronized (open) {
            return open.computeIfAbsent(host + suffix, name -> {
                try {
                    return Files.newOutputStream(dir.resolve(name));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Override
    public void stdout(String host, byte[] bytes) throws IOException {
        stream(host, ".out").write(bytes);
    }

    @Override
    public void stderr(String host, byte[] bytes) throws IOException {
        stream(host, ".err").write(bytes);
    }

    @Override
    public void done(HostResult r) throws IOException {
        stream(r.host(), ".out");
        stream(r.host(), ".err");
        synchronized (open) {
            open.remove(r.host() + ".out").close();
            open.remove(r.host() + ".err").close();
        }
        String status = r.exit() == null ? r.describe()
                : r.exit().code() != null ? String.valueOf(r.exit().code()) : "signal " + r.exit().signal();
        Files.writeString(dir.resolve(r.host() + ".status"), status + "\n", StandardCharsets.UTF_8);
    }
}
