package dev.rcon.common.auth;

import dev.rcon.common.files.FileErrors;
import dev.rcon.common.files.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a key file so that the file checked is the file read, and writes one only into a
 * directory that passes the same checks.
 *
 * <p>Why this order: C would open the file with O_NOFOLLOW and fstat the descriptor; Java cannot
 * fstat a channel. So the parent directory is opened once (a {@link SecureDirectoryStream}, an
 * open directory descriptor) and checked first: owned by the reading user or root and writable
 * by nobody else. From then on only those two can change which file the name points to. The entry
 * is then stat-ed and opened relative to that descriptor, never following a symbolic link (a
 * FIFO or device is refused before opening, so nothing blocks), and stat-ed again after reading:
 * the same file key (device and inode) before and after means the bytes came from the file that
 * was checked, unless the directory's owner or root swapped it back and forth, and they could
 * write the file anyway. Numeric uids and the sticky bit come from the {@code unix:} attribute
 * view by path, and count only if that stat names the same file key as the descriptor's.
 * Directories above the parent are not checked.
 */
final class PrivateFile {
    /** A key file is a few lines; this bounds what is read before it is parsed. */
    static final int MAX_BYTES = 1 << 20;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_ISVTX = 01000;
    private static final int GROUP_OTHERS_WRITE = 0022;
    private static final int GROUP_OTHERS_READ_WRITE = 0066;

    /** The numeric owner and mode of a file, from one stat by path. */
    private record Stat(int uid, int mode) {
    }

    private PrivateFile() {
    }

    /** Reads {@code file} as the process's effective user; see the class comment. */
    static List<String> readLines(Path file) throws IOException {
        return readLines(file, effectiveUid());
    }

    /**
     * Reads {@code file} as if by user {@code euid}.
     *
     * @throws IllegalArgumentException naming the file, what is wrong and how to fix it
     */
    static List<String> readLines(Path file, int euid) throws IOException {
        Path name = file.toAbsolutePath().getFileName();
        try (SecureDirectoryStream<Path> dir = openParent(file)) {
            checkDirectory(file, dir, euid);
            PosixFileAttributes before = entry(dir, name);
            checkEntry(file, before, euid);
            byte[] bytes;
            try (SeekableByteChannel channel = dir.newByteChannel(name,
                    Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                 InputStream in = Channels.newInputStream(channel)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (!before.fileKey().equals(entry(dir, name).fileKey())) {
                throw new IllegalArgumentException(file + ": was replaced while being read; try again");
            }
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes; a key file is a few lines");
            }
            return decode(file, bytes).lines().toList();
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (FileSystemException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + FileErrors.reason(e));
        }
    }

    /**
     * Creates {@code file} with mode 0600 and writes {@code text}, in a directory that passes the
     * checks {@link #readLines} makes; an existing file is replaced only if {@code overwrite}.
     *
     * @return false if the file exists and {@code overwrite} is false
     */
    static boolean write(Path file, String text, boolean overwrite) throws IOException {
        Path name = file.toAbsolutePath().getFileName();
        try (SecureDirectoryStream<Path> dir = openParent(file)) {
            checkDirectory(file, dir, effectiveUid());
            if (exists(dir, name)) {
                if (!overwrite) {
                    return false;
                }
                dir.deleteFile(name);
            }
            try (SeekableByteChannel channel = dir.newByteChannel(name,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    OwnerOnly.FILE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (FileSystemException e) {
            // Named relative to the directory stream otherwise ("authorized_keys"): say which file, and why.
            // rcon keygen -o /proc/x said "x: no such file or directory".
            throw new IllegalArgumentException(file + ": cannot create it: " + FileErrors.reason(e), e);
        }
    }

    /** See {@link KeyFiles#replacePrivate}. */
    static void replace(Path file, String text) throws IOException {
        Path name = file.toAbsolutePath().getFileName();
        Path staging = Path.of("." + name + ".rcon-new");
        try (SecureDirectoryStream<Path> dir = openParent(file)) {
            checkDirectory(file, dir, effectiveUid());
            if (exists(dir, staging)) {
                // Left by a crash; only the directory's owner or root could have put it there.
                dir.deleteFile(staging);
            }
            try (SeekableByteChannel channel = dir.newByteChannel(staging,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    OwnerOnly.FILE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (channel instanceof java.nio.channels.FileChannel data) {
                    data.force(true);
                }
            }
            dir.move(staging, dir, name);
        }
        // The rename is durable only once the directory is.
        try (java.nio.channels.FileChannel parent = java.nio.channels.FileChannel.open(
                file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            parent.force(true);
        }
    }

    /** See {@link KeyFiles#whileLocked}. */
    static <T, E extends Exception> T whileLocked(Path file, Runnable onWait, KeyFiles.Change<T, E> change)
            throws IOException, E {
        try (java.nio.channels.FileChannel locking = lockFile(file)) {
            java.nio.channels.FileLock lock = locking.tryLock();
            if (lock == null) {
                onWait.run();
                lock = locking.lock();
            }
            try (java.nio.channels.FileLock held = lock) {
                return change.run();
            }
        }
    }

    /** Opens (making it, 0600) the lock file beside {@code file}, in its checked directory, never through a link. */
    private static java.nio.channels.FileChannel lockFile(Path file) throws IOException {
        Path lockName = Path.of("." + file.toAbsolutePath().getFileName() + ".rcon-lock");
        SeekableByteChannel channel;
        try (SecureDirectoryStream<Path> dir = openParent(file)) {
            checkDirectory(file, dir, effectiveUid());
            channel = dir.newByteChannel(lockName, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.FILE);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new IllegalArgumentException(file + ": no such directory");
        } catch (IOException e) {
            // A link under its name fails with ELOOP as a bare IOException that names no file.
            throw new IllegalArgumentException(file + ": cannot make or open its lock file " + lockName + " beside it: "
                    + FileErrors.reason(e), e);
        }
        if (channel instanceof java.nio.channels.FileChannel locking) {
            return locking;
        }
        channel.close();
        throw new IOException(file + ": this platform cannot lock a file");
    }

    private static SecureDirectoryStream<Path> openParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(parent);
        if (stream instanceof SecureDirectoryStream) {
            return (SecureDirectoryStream<Path>) stream;
        }
        stream.close();
        throw new IOException(file + ": this platform cannot open a file without following symbolic links");
    }

    private static void checkDirectory(Path file, SecureDirectoryStream<Path> dir, int euid) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Object key = dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes().fileKey();
        Stat stat = stat(file, parent, key, true);
        if (stat.uid() != euid && stat.uid() != 0) {
            throw new IllegalArgumentException(file + ": refusing a key file in " + parent + ", a directory owned by uid "
                    + stat.uid() + ", who could replace the file; it must belong to " + owners(euid)
                    + "; fix it with: chown " + (euid == 0 ? "root" : euid) + " " + parent);
        }
        if ((stat.mode() & GROUP_OTHERS_WRITE) != 0) {
            String prefix = file + ": refusing a key file in " + parent + ", which group or others can write (mode "
                    + modeString(stat.mode()) + ")";
            if ((stat.mode() & S_ISVTX) != 0) {
                throw new IllegalArgumentException(prefix + "; the sticky bit (as on /tmp) stops them replacing the file"
                        + " but not creating one under its name while it is absent; move the key file to a directory"
                        + " only its owner can write");
            }
            throw new IllegalArgumentException(prefix + ", so they could replace the file; fix it with: chmod go-w "
                    + parent);
        }
    }

    private static void checkEntry(Path file, PosixFileAttributes attributes, int euid) throws IOException {
        if (attributes.isSymbolicLink()) {
            throw new IllegalArgumentException(file + ": refusing a key file that is a symbolic link; put the file itself"
                    + " there (for example: cp --remove-destination \"$(readlink -f " + file + ")\" " + file + ")");
        }
        Stat stat = stat(file, file, attributes.fileKey(), false);
        if ((stat.mode() & S_IFMT) != S_IFREG) {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
        if (stat.uid() != euid && stat.uid() != 0) {
            throw new IllegalArgumentException(file + ": refusing a key file owned by uid " + stat.uid()
                    + ", who could change it; it must belong to " + owners(euid)
                    + "; fix it with: chown " + (euid == 0 ? "root" : euid) + " " + file);
        }
        if ((stat.mode() & GROUP_OTHERS_READ_WRITE) != 0) {
            throw new IllegalArgumentException(file + ": refusing a key file that group or others can read or write (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "); fix it with: chmod 600 " + file);
        }
    }

    private static String owners(int euid) {
        return euid == 0 ? "root (the user reading it)" : "uid " + euid + " (the user reading it) or root";
    }

    /**
     * Stats {@code path} by name for what the descriptor view cannot give (numeric uid, sticky
     * bit), trusting it only if it is the file with {@code fileKey}.
     */
    private static Stat stat(Path file, Path path, Object fileKey, boolean follow) throws IOException {
        Map<String, Object> a = follow ? Files.readAttributes(path, "unix:uid,mode,fileKey")
                : Files.readAttributes(path, "unix:uid,mode,fileKey", LinkOption.NOFOLLOW_LINKS);
        if (!fileKey.equals(a.get("fileKey"))) {
            throw new IllegalArgumentException(file + ": was replaced while being checked; try again");
        }
        return new Stat((Integer) a.get("uid"), (Integer) a.get("mode"));
    }

    private static PosixFileAttributes entry(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    }

    private static boolean exists(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            entry(dir, name);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** {@code rwxrwxrwt}: as ls shows it, with setuid, setgid and sticky bits. */
    static String modeString(int mode) {
        char[] c = new char[9];
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            c[i] = (mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-';
        }
        special(c, 2, (mode & 04000) != 0, 's');
        special(c, 5, (mode & 02000) != 0, 's');
        special(c, 8, (mode & S_ISVTX) != 0, 't');
        return new String(c);
    }

    private static void special(char[] c, int at, boolean set, char letter) {
        if (set) {
            c[at] = c[at] == '-' ? Character.toUpperCase(letter) : letter;
        }
    }

    private static String decode(Path file, byte[] bytes) {
        try {
            return dev.rcon.common.files.Utf8.strict(bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
    }

    /** The effective uid of this process, from the kernel's own account of it. */
    static int effectiveUid() throws IOException {
        return effectiveUid(Files.readAllLines(Path.of("/proc/self/status")));
    }

    /** Parses the {@code Uid:} line (real, effective, saved, filesystem) of a /proc status file. */
    static int effectiveUid(List<String> status) throws IOException {
        for (String line : status) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).strip().split("\\s+");
                if (ids.length >= 2 && ids[1].matches("[0-9]{1,10}")) {
                    return Integer.parseUnsignedInt(ids[1]);
                }
            }
        }
        throw new IOException("cannot tell this process's effective uid: /proc/self/status has no 'Uid:' line");
    }
}
