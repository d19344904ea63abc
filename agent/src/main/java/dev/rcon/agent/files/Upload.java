package dev.rcon.agent.files;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.files.FileErrors;
import dev.rcon.common.files.StagedFile;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One {@code put} in progress. Nothing is visible at the target until the last data record has
 * checked out: the bytes go to a {@link StagedFile} beside it, which is renamed over the target
 * with the requested mode once size and sha256 match. Any failure removes the temporary file. A
 * target that is not a regular file (a link, a FIFO, a device) is refused, never replaced.
 */
public final class Upload implements AutoCloseable {
    private final Put request;
    private final StagedFile file;

    private Upload(Put request, StagedFile file) {
        this.request = request;
        this.file = file;
    }

    /**
     * Opens the temporary file for {@code request}.
     *
     * @throws RequestException (not_found, bad_request or io) saying why the put cannot start
     */
    public static Upload begin(Put request) throws RequestException {
        Path target = TransferChannel.pathOf(request.path());
        Path dir = target.getParent();
        try {
            // The agent writes as root: a link someone else made on the way must not take the file elsewhere.
            return new Upload(request, StagedFile.create(target, true));
        } catch (RconException e) {
            throw new RequestException(e.code(), e.getMessage());
        } catch (NoSuchFileException | NotDirectoryException e) {
            if (Files.isDirectory(dir)) {
                // procfs and sysfs answer ENOENT to a new name in a directory that exists (/proc/sys/kernel).
                throw new RequestException(ErrorCode.IO, "cannot write in " + dir
                        + ": its file system makes no new files there (no such file or directory)");
            }
            throw new RequestException(ErrorCode.NOT_FOUND, "no such directory: " + dir);
        } catch (AccessDeniedException e) {
            throw new RequestException(ErrorCode.IO, "permission denied: cannot write in " + dir);
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "cannot write in " + dir + ": " + FileErrors.reason(e));
        }
    }

    /** Appends the first {@code length} bytes of {@code chunk}; more bytes than announced is the console's mistake. */
    public void write(byte[] chunk, int length) throws RequestException {
        if (file.size() + length > request.size()) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "put " + request.id() + ": expected " + request.size()
                    + " bytes but got at least " + (file.size() + length));
        }
        try {
            file.write(chunk, length);
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "writing " + request.path() + ": " + e.getMessage());
        }
    }

    /** Checks size and sha256, syncs, renames into place; returns the {@code done} to send. */
    public Done finish(String sha256) throws RequestException {
        if (file.size() != request.size()) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "put " + request.id() + ": expected " + request.size()
                    + " bytes but got " + file.size());
        }
        String actual = file.sha256();
        if (!actual.equals(sha256)) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "put " + request.id() + ": expected sha256 " + sha256
                    + " but the bytes received hash to " + actual);
        }
        try {
            file.commit(request.mode());
        } catch (RconException e) {
            throw new RequestException(e.code(), e.getMessage());
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "cannot put " + request.path() + ": " + e.getMessage());
        }
        return new Done(request.id(), file.size(), actual);
    }

    /** Abandons the transfer unless it finished: the temporary file goes. Idempotent. */
    @Override
    public void close() {
        file.close();
    }
}
