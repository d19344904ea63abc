package dev.rcon.console.fleet;

import dev.rcon.common.files.FileErrors;
import dev.rcon.common.files.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
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
        if (dir.toString().isEmpty()) {
            // --outdir "$DIR" with DIR unset: the current directory, never asked for, filled with files.
            throw new IllegalArgumentException("--outdir is empty: name a directory (. for the current one)");
        }
        OwnerOnly.directories(dir);
        this.dir = dir;
        // A directory no file can be made in (read-only, /proc) is said before anything runs.
        try {
            Files.delete(Files.createTempFile(dir, ".rcon-outdir-", ".probe", OwnerOnly.FILE));
        } catch (IOException e) {
            throw new IllegalArgumentException("--outdir " + dir + ": cannot make files in it: " + why(e));
        }
    }

    /**
     * A checked failure, never an unchecked one: this runs on a session's reader thread, where an
     * unchecked exception ended the thread and the run waited for the host forever.
     */
    private OutputStream stream(String host, String suffix) throws IOException {
        synchronized (open) {
            OutputStream stream = open.get(host + suffix);
            if (stream == null) {
                stream = create(host + suffix);
                open.put(host + suffix, stream);
            }
            return stream;
        }
    }

    /**
     * What is wrong, in words: the JDK's file exceptions often name only the file. Two mean more
     * here than their type says: only removing what has the name fails with a directory not
     * empty, and only someone else's file made in between fails CREATE_NEW.
     */
    private static String why(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            if (e instanceof java.nio.file.DirectoryNotEmptyException) {
                return "a directory is in the way";
            } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
                return "something else made it first";
            }
        }
        return FileErrors.reason(e);
    }

    /** A new private file {@code DIR/name}; a link there is removed, never followed. */
    private OutputStream create(String name) throws IOException {
        Path file = dir.resolve(name);
        try {
            Files.deleteIfExists(file);
            // CREATE_NEW: whoever puts a name back in between makes this fail rather than receive the output.
            return Channels.newOutputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.FILE));
        } catch (IOException e) {
            throw new IOException("--outdir: cannot write " + file + ": " + why(e), e);
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
                : r.exit().code() != null ? String.valueOf(r.exit().code()) : "signal " + dev.rcon.common.wire.PeerText.escape(r.exit().signal());
        try (OutputStream out = create(r.host() + ".status")) {
            out.write((status + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
