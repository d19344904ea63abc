package dev.rcon.common.files;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.io.Closing;
import dev.rcon.common.msg.FileModes;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * A file being received, hashed as it comes, and renamed over its target by {@link #commit}
 * once the caller has checked size and hash, so the target is never seen half-written.
 *
 * <p>Whoever can write in the target's directory can rename, delete and replace any name in it
 * at any moment, so nothing here trusts a name there twice. The directory is opened once; the
 * bytes go to a file inside a private directory made beside the target (ours, mode 0700), which
 * nobody else can enter or change, so the mode is set there on the very file that was written,
 * and that file is renamed with {@code renameat(2)} from the private directory straight to the
 * target's name in the opened directory. A target that exists and is not a regular file (a
 * link, a FIFO, a device, a directory) is refused: renaming over it would replace it.
 * Closing an uncommitted file removes what was staged.
 */
public final class StagedFile implements AutoCloseable {
    private static final Path DATA = Path.of("data");
    private static final Path SELF = Path.of(".");
    /**
     * Files up to this size also get their directory synced after the rename. Beyond it the sync
     * costs in proportion to the file (ext4's ordered data mode walks its pages again: about
     * 300 ms of CPU, a tenth of the transfer, for 512 MiB), and the next commit follows anyway.
     */
    private static final long DIRECTORY_SYNC_MAX = 16L << 20;
    /** The longest file name, in bytes, of Linux file systems (NAME_MAX). */
    private static final int NAME_MAX = 255;
    /** What would let others change the private directory (some file systems, like vfat, fix its mode at 0755). */
    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private final Path target;
    private final SecureDirectoryStream<Path> dir;
    private final Path name;
    private final Path stagingName;
    private final SecureDirectoryStream<Path> staging;
    private final Object stagingKey;
    private final FileChannel channel;
    private final Object fileKey;
    private final MessageDigest digest = Crypto.newSha256();
    private long written;
    private final Writeback writeback;
    private boolean committed;
    private boolean closed;

    private StagedFile(Path target, SecureDirectoryStream<Path> dir, Path stagingName, SecureDirectoryStream<Path> staging,
                       Object stagingKey, FileChannel channel, Object fileKey) {
        this.target = target;
        this.dir = dir;
        this.name = target.getFileName();
        this.stagingName = stagingName;
        this.staging = staging;
        this.stagingKey = stagingKey;
        this.channel = channel;
        this.fileKey = fileKey;
        this.writeback = new Writeback(channel);
    }

    /**
     * Opens the target's directory, checks the target and stages an empty file beside it.
     *
     * @throws RconException bad_request when the target exists and is not a regular file; io
     *     when the private directory was tampered with
     * @throws java.nio.file.NoSuchFileException or {@link java.nio.file.NotDirectoryException}
     *     when the directory is missing
     */
    public static StagedFile create(Path target) throws IOException {
        return create(target, false);
    }

    /**
     * As {@link #create(Path)}; with {@code rootsLinksOnly} (root writing where others may have
     * made the path), a symbolic link on the way to the target's directory is followed only if
     * root owns it: see {@link InDirectory#openThroughRootsLinksOnly}.
     */
    public static StagedFile create(Path target, boolean rootsLinksOnly) throws IOException {
        // Not normalized: the walk takes ".." as the kernel does, and the staging directory is made
        // by this path, so both reach the same directory (a ".." after a link included).
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null) {
            throw notReplaceable(abs, "a directory");
        }
        SecureDirectoryStream<Path> dir = rootsLinksOnly ? InDirectory.openThroughRootsLinksOnly(parent)
                : InDirectory.open(parent);
        try {
            checkReplaceable(dir, abs);
            return stage(abs, dir);
        } catch (IOException | RuntimeException e) {
            Closing.quietly(dir);
            throw e;
        }
    }

    /**
     * The staging directory's name is ours, not the operator's: when it cannot be made, the error
     * names the directory it goes in ("/sys/kernel: Operation not permitted"), of the same kind
     * where the kind says what happened (permission denied, no such directory).
     */
    private static void makeStaging(Path parent, Path staging) throws IOException {
        try {
            Files.createDirectory(staging, OwnerOnly.DIRECTORY);
        } catch (java.nio.file.AccessDeniedException e) {
            throw (IOException) new java.nio.file.AccessDeniedException(parent.toString()).initCause(e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw (IOException) new java.nio.file.NoSuchFileException(parent.toString()).initCause(e);
        } catch (java.nio.file.FileSystemException e) {
            throw (IOException) new java.nio.file.FileSystemException(parent.toString(), null, FileErrors.reason(e))
                    .initCause(e);
        }
    }

    private static StagedFile stage(Path target, SecureDirectoryStream<Path> dir) throws IOException {
        Path parent = target.getParent();
        Path stagingName = stagingName(target.getFileName());
        makeStaging(parent, parent.resolve(stagingName));
        SecureDirectoryStream<Path> staging = null;
        SeekableByteChannel channel = null;
        try {
            staging = openStaging(dir, parent.resolve(stagingName), target);
            Object stagingKey = staging.getFileAttributeView(PosixFileAttributeView.class).readAttributes().fileKey();
            channel = staging.newByteChannel(DATA,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    OwnerOnly.FILE);
            Object fileKey = lstat(staging, DATA).fileKey();
            return new StagedFile(target, dir, stagingName, staging, stagingKey, (FileChannel) channel, fileKey);
        } catch (IOException | RuntimeException e) {
            Closing.quietly(channel);
            if (staging != null) {
                deleteQuietly(staging, DATA);
                Closing.quietly(staging);
            }
            // Only an empty directory goes, whoever's it is, and only from the opened directory.
            removeDirectoryQuietly(dir, stagingName);
            throw e;
        }
    }

    /**
     * {@code .NAME.rcon-UUID.tmp}, so that whoever looks into the directory sees what it is for;
     * just {@code .rcon-UUID.tmp} when that would be longer than a file name may be (255 bytes
     * on Linux file systems), which the target's name alone may nearly fill.
     */
    static Path stagingName(Path name) {
        String tail = ".rcon-" + UUID.randomUUID() + ".tmp";
        String full = "." + name + tail;
        return Path.of(full.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX ? full : tail);
    }

    /**
     * Opens the private directory just made. Between mkdir and open the owner of the parent can
     * swap the name; a FIFO put there would block a plain open, hence the look before and the
     * open as {@code name/.}.
     */
    private static SecureDirectoryStream<Path> openStaging(SecureDirectoryStream<Path> dir, Path path, Path target)
            throws IOException {
        Path stagingName = path.getFileName();
        PosixFileAttributes seen = InDirectory.lstat(dir, stagingName);
        if (seen == null || !seen.isDirectory()) {
            throw tampered(path, target);
        }
        // "name/.": a FIFO swapped in after the look fails to resolve instead of blocking the open; a
        // link to a directory would be followed, but then the file key below is not the one seen.
        SecureDirectoryStream<Path> staging = dir.newDirectoryStream(InDirectory.itself(stagingName),
                LinkOption.NOFOLLOW_LINKS);
        try {
            PosixFileAttributes opened = staging.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
            // Nobody else can make a directory that is ours, so this is the one made a moment ago.
            if (!opened.fileKey().equals(seen.fileKey()) || !opened.owner().equals(InDirectory.currentUser())
                    || !Collections.disjoint(opened.permissions(), OTHERS_WRITE)) {
                throw tampered(path, target);
            }
            return staging;
        } catch (IOException | RuntimeException e) {
            Closing.quietly(staging);
            throw e;
        }
    }

    public void write(byte[] chunk) throws IOException {
        write(chunk, chunk.length);
    }

    /** Appends the first {@code length} bytes of {@code chunk}. */
    public void write(byte[] chunk, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(chunk, 0, length);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        digest.update(chunk, 0, length);
        written += length;
        writeback.written(written);
    }

    /** Early writebacks started so far (tests). */
    long writebacks() {
        return writeback.started();
    }

    /** Bytes written so far. */
    public long size() {
        return written;
    }

    /** The SHA-256 of everything written, as lowercase hex; call once, when all is written. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Syncs, sets {@code mode} (like "0644") on the staged file and renames it over the target.
     *
     * @throws RconException bad_request when the target became something other than a regular
     *     file; io when the staged file or its private directory were tampered with
     */
    public synchronized void commit(String mode) throws IOException {
        channel.force(true);
        IOException failed = writeback.await();
        if (failed != null) {
            throw new IOException("writing the file back failed: " + FileErrors.reason(failed), failed);
        }
        channel.close();
        PosixFileAttributeView view = staging.getFileAttributeView(DATA, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setPermissions(PosixFilePermissions.fromString(FileModes.toPermissions(mode)));
        BasicFileAttributes staged = view.readAttributes();
        if (!staged.isRegularFile() || !fileKey.equals(staged.fileKey())) {
            throw new RconException(ErrorCode.IO, "the file staged for " + target + " was replaced; " + target
                    + " was left as it was");
        }
        PosixFileAttributes place = InDirectory.lstat(dir, stagingName);
        if (place == null || !stagingKey.equals(place.fileKey())) {
            // The bytes are still safe in the private directory; the swap says someone is at work here.
            throw tampered(target.resolveSibling(stagingName), target);
        }
        checkReplaceable(dir, target);
        staging.move(DATA, dir, name);
        committed = true;
        if (written <= DIRECTORY_SYNC_MAX) {
            syncDirectory();
        }
        close();
    }

    /**
     * The data was synced before the rename; the rename itself is an entry in the directory and
     * survives a crash only once the directory is synced too (fsync(2)), or the file system's
     * next commit (ext4: within 5 s) has written it. Opened as "." of the directory already open,
     * so no name is looked up again. Best effort: the file is in place whatever this says, and
     * some file systems refuse fsync on a directory.
     */
    private void syncDirectory() {
        try (SeekableByteChannel self = dir.newByteChannel(SELF, Set.of(StandardOpenOption.READ))) {
            ((FileChannel) self).force(true);
        } catch (IOException | RuntimeException e) {
            // As above: nothing to undo, and the put did happen.
        }
    }

    /** Abandons the file unless it was committed, and the private directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Closing.quietly(channel);
        if (!committed) {
            deleteQuietly(staging, DATA);
        }
        Closing.quietly(staging);
        removeDirectoryQuietly(dir, stagingName);
        Closing.quietly(dir);
    }

    private static void checkReplaceable(SecureDirectoryStream<Path> dir, Path target) throws IOException {
        PosixFileAttributes attrs = InDirectory.lstat(dir, target.getFileName());
        if (attrs != null && !attrs.isRegularFile()) {
            throw notReplaceable(target, InDirectory.kind(attrs, target));
        }
    }

    private static RconException notReplaceable(Path target, String kind) {
        String hint = kind.equals("a symbolic link") ? " (name the file it points to instead)" : "";
        return new RconException(ErrorCode.BAD_REQUEST,
                target + " is " + kind + "; only a regular file can be replaced" + hint);
    }

    private static RconException tampered(Path staging, Path target) {
        return new RconException(ErrorCode.IO, staging + " was moved or replaced while in use (someone else can write in "
                + staging.getParent() + "); " + target + " was left as it was");
    }

    private static PosixFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        PosixFileAttributes attrs = InDirectory.lstat(dir, name);
        if (attrs == null) {
            throw new java.nio.file.NoSuchFileException(name.toString());
        }
        return attrs;
    }

    private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path file) {
        try {
            dir.deleteFile(file);
        } catch (IOException | RuntimeException e) {
            // Nothing staged, or already gone.
        }
    }

    private static void removeDirectoryQuietly(SecureDirectoryStream<Path> dir, Path name) {
        try {
            dir.deleteDirectory(name);
        } catch (IOException | RuntimeException e) {
            // Not empty, not a directory or gone: then it is not ours to remove.
        }
    }
}
