package dev.rcon.console.fleet;

import dev.rcon.common.files.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --outdir DIR}: for each host, {@code DIR/HOST.out}, {@code DIR/HOST.err} and
 * {@code DIR/HOST.status} (the exit code, {@code signal NAME}, or why it did not run).
 *
 * <p>Each file is made new, 0600, in place of whatever had its name: outputs hold what the
 * commands printed (secrets too), and DIR is often a shared one (/tmp/out) that another local
 * user may have made first and filled with links to the operator's files, or with files of
 * theirs that everyone may write and they may read. A directory made here is 0700.
 */
public final class OutdirOutput implements FleetOutput {
    private final Path dir;
    private final Map<String, OutputStream> open = new HashMap<>();

    public OutdirOutput(Path dir) throws IOException {
        OwnerOnly.directories(dir);
        this.dir = dir;
    }

    private OutputStream stream(String host, String suffix) {
        synchronized (open) {
            return open.computeIfAbsent(host + suffix, name -> {
                try {
                    return create(name);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A new private file {@code DIR/name}; a link there is removed, never followed. */
    private OutputStream create(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        // CREATE_NEW: whoever puts a name back in between makes this fail rather than receive the output.
        return Channels.newOutputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.FILE));
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
                : r.exit().code() != null ? String.valueOf(r.exit().code()) : "signal " + dev.rcon.common.wire.PeerText.escape(r.exit().signal());
        try (OutputStream out = create(r.host() + ".status")) {
            out.write((status + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
