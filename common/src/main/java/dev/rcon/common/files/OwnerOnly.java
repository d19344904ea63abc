package dev.rcon.common.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read or change, made so from the start whatever
 * the umask: keys, history, audit trails, fleet output, staged transfers.
 */
public final class OwnerOnly {
    /** Mode 0700 for a directory being made. */
    public static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** Mode 0600 for a file being made. */
    public static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnly() {
    }

    /** Makes {@code dir}, and each parent missing, 0700; a directory already there is left as it is. */
    public static Path directories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, DIRECTORY);
        }
        return dir;
    }

    /**
     * As {@link #directories}, and a directory of its own that rcon finds open to group or
     * others is made 0700: the console's state directory, which an older rcon made 0755 and
     * which README.md promises is 0700 (the history and the last run live there). One it may
     * not change (not its own) is left to the files in it, which are 0600.
     */
    public static Path ownDirectory(Path dir) throws IOException {
        directories(dir);
        Set<PosixFilePermission> privateMode = PosixFilePermissions.fromString("rwx------");
        if (!Files.getPosixFilePermissions(dir).equals(privateMode)) {
            try {
                Files.setPosixFilePermissions(dir, privateMode);
            } catch (java.nio.file.FileSystemException e) {
                // Not ours to change: what rcon writes there is 0600 all the same.
            }
        }
        return dir;
    }
}
