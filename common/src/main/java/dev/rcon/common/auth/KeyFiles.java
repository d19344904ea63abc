package dev.rcon.common.auth;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Reading and writing key files, refusing any that group or others may read or write. */
public final class KeyFiles {
    private static final Set<PosixFilePermission> LOOSE = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private KeyFiles() {
    }

    /**
     * Refuses a file that group or others can read or write.
     *
     * @throws IllegalArgumentException naming the file, its mode and the fix
     */
    public static void checkPrivate(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
        Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
        loose.addAll(perms);
        loose.retainAll(LOOSE);
        if (!loose.isEmpty()) {
            throw new IllegalArgumentException(file + ": refusing a key file that group or others can read or write (mode "
                    + PosixFilePermissions.toString(perms) + "); fix it with: chmod 600 " + file);
        }
    }

    /** Reads a console key file: one key line, optionally with blank lines and # comments. */
    public static Key readKey(Path file) throws IOException {
        checkPrivate(file);
        List<String> lines = Files.readAllLines(file);
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
     * Writes {@code key} to a new file created with mode 0600 (never briefly wider).
     *
     * @throws IllegalArgumentException if the file exists and {@code overwrite} is false
     */
    public static void writeKey(Path file, Key key, boolean overwrite) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new IllegalArgumentException(file + ": already exists; use --force to replace it");
            }
            Files.delete(file);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + ": already exists; use --force to replace it");
        }
        Files.writeString(file, KeyLine.format(key) + "\n");
    }
}
