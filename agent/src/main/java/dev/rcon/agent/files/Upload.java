package dev.rcon.agent.files;

import dev.rcon.agent.exec.RequestException;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.FileModes;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * One {@code put} in progress. Nothing is visible at the target until the last data record has
 * checked out: the bytes go to a temporary file beside it (mode 0600), which is synced and then
 * renamed over the target with the requested mode. Any failure removes the temporary file.
 */
public final class Upload implements AutoCloseable {
    private final Put request;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest digest = Crypto.newSha256();
    private long written;
    private boolean finished;

    private Upload(Put request, Path target, Path temp, FileChannel channel) {
        this.request = request;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /**
     * Opens the temporary file for {@code request}.
     *
     * @throws RequestException (not_found, bad_request or io) saying why the put cannot start
     */
    public static Upload begin(Put request) throws RequestException {
        Path target = Path.of(request.path());
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new RequestException(ErrorCode.NOT_FOUND, "no such directory: " + dir);
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new RequestException(ErrorCode.BAD_REQUEST, request.path() + " is a directory");
        }
        Path temp = dir.resolve("." + target.getFileName() + ".rcon-" + UUID.randomUUID() + ".tmp");
        try {
            FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return new Upload(request, target, temp, channel);
        } catch (AccessDeniedException e) {
            throw new RequestException(ErrorCode.IO, "permission denied: cannot write in " + dir);
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "cannot write in " + dir + ": " + e.getMessage());
        }
    }

    /** Appends a chunk; more bytes than announced is the console's mistake. */
    public void write(byte[] chunk) throws RequestException {
        if (written + chunk.length > request.size()) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "put " + request.id() + ": expected " + request.size()
                    + " bytes but got at least " + (written + chunk.length));
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "writing " + request.path() + ": " + e.getMessage());
        }
        digest.update(chunk);
        written += chunk.length;
    }

    /** Checks size and sha256, syncs, renames into place; returns the {@code done} to send. */
    public Done finish(String sha256) throws RequestException {
        if (written != request.size()) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "put " + request.id() + ": expected " + request.size()
                    + " bytes but got " + written);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "put " + request.id() + ": expected sha256 " + sha256
                    + " but the bytes received hash to " + actual);
        }
        try {
            channel.force(true);
            channel.close();
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(FileModes.toPermissions(request.mode())));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            finished = true;
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "cannot put " + request.path() + ": " + e.getMessage());
        }
        return new Done(request.id(), written, actual);
    }

    /** Abandons the transfer unless it finished: the temporary file goes. Idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
            if (!finished) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // Nothing more to do about a temporary file that cannot be removed.
        }
    }
}
