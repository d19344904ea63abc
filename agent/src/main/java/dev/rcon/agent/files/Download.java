package dev.rcon.agent.files;

import dev.rcon.agent.exec.ExecContext;
import dev.rcon.agent.exec.RequestException;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.FileModes;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Get;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One {@code get}: {@code file} with size and mode, then the bytes in data records of at most
 * 64 KiB, then {@code done} with the SHA-256 of exactly what was sent. Runs on its own thread;
 * a slow console blocks it, not the session.
 */
public final class Download {
    private Download() {
    }

    /**
     * Opens the file and starts sending it on a thread named after the transfer.
     *
     * @throws RequestException (not_found, bad_request or io) when the file cannot be read
     */
    public static void start(Get request, ExecContext.Sink sink, String threadName, Runnable onEnd) throws RequestException {
        Path path = Path.of(request.path());
        if (Files.isDirectory(path)) {
            throw new RequestException(ErrorCode.BAD_REQUEST, request.path() + " is a directory");
        }
        long size;
        String mode;
        InputStream in;
        try {
            size = Files.size(path);
            mode = FileModes.of(Files.getPosixFilePermissions(path));
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new RequestException(ErrorCode.NOT_FOUND, "no such file: " + request.path());
        } catch (AccessDeniedException e) {
            throw new RequestException(ErrorCode.IO, "permission denied: " + request.path());
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "cannot read " + request.path() + ": " + e.getMessage());
        }
        Thread t = new Thread(() -> send(request, sink, in, size, mode, onEnd), threadName);
        t.setDaemon(true);
        t.start();
    }

    private static void send(Get request, ExecContext.Sink sink, InputStream in, long size, String mode, Runnable onEnd) {
        MessageDigest digest = Crypto.newSha256();
        try (in) {
            sink.send(new FileInfo(request.id(), size, mode));
            byte[] buf = new byte[Limits.CHUNK];
            long sent = 0;
            while (sent < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - sent));
                if (n < 0) {
                    throw new IOException("the file shrank while it was being sent (" + sent + " of " + size + " bytes)");
                }
                byte[] chunk = Arrays.copyOf(buf, n);
                digest.update(chunk);
                sink.send(Data.chunk(request.id(), chunk));
                sent += n;
            }
            sink.send(new Done(request.id(), sent, HexFormat.of().formatHex(digest.digest())));
        } catch (IOException e) {
            try {
                sink.send(new dev.rcon.common.msg.ErrorReply(request.id(), ErrorCode.IO, "get " + request.path() + ": " + e.getMessage()));
            } catch (IOException gone) {
                // The console is gone; nothing to tell.
            }
        } finally {
            onEnd.run();
        }
    }
}
