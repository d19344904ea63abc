package dev.rcon.common.files;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/**
 * Working relative to an open directory ({@code openat(2)} and friends through
 * {@link SecureDirectoryStream}), so that a name is looked up once, in the directory that was
 * opened, without following a link at the last step.
 */
public final class InDirectory {
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private InDirectory() {
    }

    /**
     * Opens directory {@code dir} (links on the way to it are followed, as any path is).
     *
     * <p>The JDK opens a directory with a plain {@code open(path, O_RDONLY)}: no O_DIRECTORY, no
     * O_NOCTTY. Whoever can rename {@code dir} can swap it, between any look and that open, for a
     * link to a FIFO (the open blocks) or to a terminal they hold, which a root agent leading its
     * session (as systemd starts it) would take as its controlling terminal: a ^C typed there
     * then stops the agent. So the directory is opened as {@code dir/.}, which the kernel
     * resolves only if {@code dir} is a directory, and never opens anything else.
     *
     * @throws NotDirectoryException when {@code dir} is something else
     */
    public static SecureDirectoryStream<Path> open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? new NotDirectoryException(dir.toString())
                    : new NoSuchFileException(dir.toString());
        }
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(itself(dir));
        } catch (NotDirectoryException e) {
            throw new NotDirectoryException(dir.toString());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(dir.toString());
        }
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("cannot work safely in " + dir + ": this system has no openat(2)");
    }

    /** Links a walk follows at most, as the kernel's MAXSYMLINKS. */
    private static final int MAX_LINKS = 40;

    /**
     * Opens directory {@code dir} as root should when it writes where others may have made the
     * path: one component at a time from {@code /}, each opened relative to the one before, and a
     * symbolic link on the way followed only if root owns it ({@code /var/run}, {@code /bin} on a
     * merged /usr). A link anyone else made is refused: otherwise the owner of
     * {@code /home/alice} makes {@code .ssh} a link to {@code /root/.ssh}, and a put of
     * {@code /home/alice/.ssh/authorized_keys} replaces root's, though a link as the last
     * component is refused. {@code ..} is taken as the kernel takes it: the parent of the real
     * directory the walk has reached (after {@code /var/run}, {@code ..} is {@code /}, not
     * {@code /var}), so a put writes the file a get, a shell or a non-root agent would name.
     *
     * <p>A link is read by its path (the JDK has no readlinkat), between two looks that it is
     * still root's: whoever can rename in its directory, or in one on the way to it, can swap in a
     * link of their own for that read and swap root's back for the second look. So a root's link
     * is followed only where nobody else can rename: see {@link #onlyRootRenames}.
     *
     * @throws RconException bad_request naming a link root does not own; io when a directory was
     *     swapped while it was being opened
     * @throws NotDirectoryException or {@link NoSuchFileException} as {@link #open}
     */
    public static SecureDirectoryStream<Path> openThroughRootsLinksOnly(Path dir) throws IOException {
        // Not normalized: ".." after a link names the parent of the link's target, not the link's directory.
        Path wanted = dir.toAbsolutePath();
        Path root = wanted.getRoot();
        Path path = wanted;
        int links = 0;
        walk:
        while (true) {
            Path at = root;
            SecureDirectoryStream<Path> current = open(root);
            try {
                Object key = current.getFileAttributeView(PosixFileAttributeView.class).readAttributes().fileKey();
                // Whether only root can change what every name walked so far refers to.
                boolean steady = true;
                for (int i = 0; i < path.getNameCount(); i++) {
                    Path name = path.getName(i);
                    Path rest = i + 1 < path.getNameCount() ? path.subpath(i + 1, path.getNameCount()) : null;
                    if (name.toString().equals(".")) {
                        continue;
                    }
                    if (name.toString().equals("..")) {
                        // at is the real directory reached (no link, no "." or ".." in it): its parent
                        // by text is its parent on disk, and the walk checks that way again from /.
                        Path up = at.getParent() != null ? at.getParent() : root;
                        path = rest != null ? up.resolve(rest) : up;
                        current.close();
                        continue walk;
                    }
                    PosixFileAttributes seen = lstat(current, name);
                    Path next = at.resolve(name);
                    if (seen == null) {
                        throw new NoSuchFileException(wanted.toString());
                    }
                    steady = steady && onlyRootRenames(at, key, next, seen.fileKey());
                    if (seen.isSymbolicLink()) {
                        Path target = rootsLink(wanted, next, seen.fileKey(), steady);
                        if (++links > MAX_LINKS) {
                            throw new java.nio.file.FileSystemException(wanted.toString(), null,
                                    "too many levels of symbolic links");
                        }
                        Path resolved = at.resolve(target);
                        path = rest != null ? resolved.resolve(rest) : resolved;
                        current.close();
                        continue walk;
                    }
                    if (!seen.isDirectory()) {
                        throw new NotDirectoryException(wanted.toString());
                    }
                    SecureDirectoryStream<Path> opened = current.newDirectoryStream(itself(name), LinkOption.NOFOLLOW_LINKS);
                    current.close();
                    current = opened;
                    key = current.getFileAttributeView(PosixFileAttributeView.class).readAttributes().fileKey();
                    if (!seen.fileKey().equals(key)) {
                        throw new RconException(ErrorCode.IO, next + " was replaced while it was being opened (someone"
                                + " else can write in " + at + ")");
                    }
                    at = next;
                }
                return current;
            } catch (IOException | RuntimeException e) {
                current.close();
                throw e;
            }
        }
    }

    /**
     * Whether only root can change what {@code entry} (seen with {@code entryKey}) in directory
     * {@code at} (opened with {@code atKey}) refers to: root owns {@code at} and nobody else may
     * write in it, or it is sticky (/tmp) and root owns the entry too. {@code at} is looked up by
     * its path, which names the directory opened while every one before it is steady.
     */
    private static boolean onlyRootRenames(Path at, Object atKey, Path entry, Object entryKey) throws IOException {
        java.util.Map<String, Object> dir = Files.readAttributes(at, "unix:uid,mode,fileKey", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) dir.get("mode");
        if (!atKey.equals(dir.get("fileKey")) || (Integer) dir.get("uid") != 0) {
            return false;
        }
        if ((mode & 0022) == 0) {
            return true;
        }
        if ((mode & 01000) == 0) {
            return false;
        }
        java.util.Map<String, Object> seen = Files.readAttributes(entry, "unix:uid,fileKey", LinkOption.NOFOLLOW_LINKS);
        return entryKey.equals(seen.get("fileKey")) && (Integer) seen.get("uid") == 0;
    }

    /**
     * What link {@code link} (seen through a descriptor with {@code fileKey}) points to, if root
     * owns it and, {@code steady}, nobody else can rename it or a directory on the way to it.
     */
    private static Path rootsLink(Path wanted, Path link, Object fileKey, boolean steady) throws IOException {
        java.util.Map<String, Object> before = Files.readAttributes(link, "unix:uid,fileKey", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) before.get("uid");
        String where = link.equals(wanted) ? link.toString() : link + ", on the way to " + wanted + ",";
        if (uid != 0) {
            throw new RconException(ErrorCode.BAD_REQUEST, where + " is a symbolic link owned by uid " + uid
                    + "; files are written as root, which follows only root's links on the way (name the directory it"
                    + " points to, if that is really meant)");
        }
        if (!steady) {
            throw new RconException(ErrorCode.BAD_REQUEST, where + " is root's symbolic link, but in or under a"
                    + " directory others can write, who could swap it for a link of their own while it is read;"
                    + " files are written as root, which follows a link on the way only where no one else can"
                    + " rename (name the directory it points to, if that is really meant)");
        }
        Path target = Files.readSymbolicLink(link);
        java.util.Map<String, Object> after = Files.readAttributes(link, "unix:uid,fileKey", LinkOption.NOFOLLOW_LINKS);
        if (!fileKey.equals(before.get("fileKey")) || !fileKey.equals(after.get("fileKey"))
                || (Integer) after.get("uid") != 0) {
            throw new RconException(ErrorCode.IO, link + " was replaced while it was being followed");
        }
        return target;
    }

    /**
     * {@code dir/.}: a path that names {@code dir} only while it is a directory, so that opening
     * it can never open a FIFO, a device or a terminal that was swapped in under its name.
     */
    public static Path itself(Path dir) {
        return dir.resolve(".");
    }

    /** What {@code name} in {@code dir} is, the link itself if it is one; null if nothing is there. */
    public static PosixFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Names the kind of a file that is not a regular file: "a directory", "a FIFO", "a symbolic
     * link"... {@code path} is looked at again only to tell the kinds of special files apart.
     */
    public static String kind(BasicFileAttributes attrs, Path path) {
        if (attrs.isDirectory()) {
            return "a directory";
        }
        if (attrs.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attrs.isRegularFile()) {
            return "a regular file";
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & S_IFMT) {
                case S_IFIFO:
                    return "a FIFO";
                case S_IFCHR:
                    return "a character device";
                case S_IFBLK:
                    return "a block device";
                case S_IFSOCK:
                    return "a socket";
                default:
                    return "a special file";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    /** The user this process runs as, to compare with a file's owner. */
    public static UserPrincipal currentUser() throws IOException {
        UnixSystem self = new UnixSystem();
        String name = self.getUsername();
        // Without a passwd entry the JDK's lookup takes the number itself.
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(name != null ? name : Long.toString(self.getUid()));
    }
}
