package dev.rcon.common.auth;

import dev.rcon.common.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading and writing key files. A key file is read only if it is a regular file (never through
 * a symbolic link), owned by the reading user or root, that group and others can neither read nor
 * write, in a directory owned by the reading user or root that group and others cannot write;
 * see {@link PrivateFile} for how the file checked is the file read.
 */
public final class KeyFiles {
    private KeyFiles() {
    }

    /**
     * The lines of a key file, after the checks above.
     *
     * @throws IllegalArgumentException naming the file, what is wrong and how to fix it
     */
    public static List<String> readPrivateLines(Path file) throws IOException {
        return PrivateFile.readLines(file);
    }

    /** The effective uid of this process, from the kernel's own account of it. */
    public static int effectiveUid() throws IOException {
        return PrivateFile.effectiveUid();
    }

    /**
     * Replaces the private file {@code file} with {@code text} atomically: a new 0600 file beside
     * it, written and synced, renamed over it, and the directory synced, all relative to the
     * directory opened once and never through a link. Readers see the old file or the new one.
     *
     * @throws IllegalArgumentException when the file or its directory would not be read back
     */
    public static void replacePrivate(Path file, String text) throws IOException {
        PrivateFile.replace(file, text);
    }

    /** A change made while {@link #whileLocked} holds the lock. */
    @FunctionalInterface
    public interface Change<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code change} (a read, edit and {@link #replacePrivate} of {@code file}) holding an
     * exclusive lock (fcntl, across processes) on the 0600 file {@code .NAME.rcon-lock} beside it,
     * made in the checked directory without following links. Without it, two changes from two
     * processes (the agent's key-management request, {@code rcon-agent add-key}) each read the
     * file before the other wrote it, and the second rename undid the first change: a rotation's
     * removed key came back at the next reload, and its new key was gone.
     *
     * @param onWait run once, before waiting, when another process holds the lock
     * @throws IllegalArgumentException when the directory is not private enough or the lock file
     *     cannot be made
     */
    public static <T, E extends Exception> T whileLocked(Path file, Runnable onWait, Change<T, E> change)
            throws IOException, E {
        return PrivateFile.whileLocked(file, onWait, change);
    }

    /**
     * Creates {@code file} empty with mode 0600, never through a link, in an existing directory
     * that a key file may be read from (as {@link #writeKey}).
     *
     * @return false if the file exists already (it is left as it is)
     * @throws IllegalArgumentException if the directory is not private enough
     */
    public static boolean createPrivate(Path file) throws IOException {
        return PrivateFile.write(file, "", false);
    }

    /** Reads a console key file: one key line, optionally with blank lines and # comments. */
    public static Key readKey(Path file) throws IOException {
        List<String> lines = readPrivateLines(file);
        Key found = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": a key file holds one key, this is a second");
            }
            try {
                found = KeyLine.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(file + ": holds no key line");
        }
        return found;
    }

    /**
     * Writes {@code key} to a new file created with mode 0600 (never briefly wider), creating
     * missing directories with mode 0700, and only into a directory a key file may be read from.
     *
     * @throws IllegalArgumentException if the file exists and {@code overwrite} is false, or the
     *     directory is not private enough
     */
    public static void writeKey(Path file, Key key, boolean overwrite) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent, OwnerOnly.DIRECTORY);
        }
        if (!PrivateFile.write(file, KeyLine.format(key) + "\n", overwrite)) {
            throw new IllegalArgumentException(file + ": already exists; use --force to replace it");
        }
    }
}
