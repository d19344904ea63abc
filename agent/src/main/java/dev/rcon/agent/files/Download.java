package dev.rcon.agent.files;

import dev.rcon.agent.exec.ExecContext;
import dev.rcon.agent.exec.RequestException;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Get;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One {@code get}: {@code file} with size and mode, then the bytes in data records of at most
 * 64 KiB, then {@code done} with the SHA-256 of exactly what was sent. Runs on its own thread,
 * opening included: a slow console, or an open that blocks (see {@link SourceFile}), holds up
 * this transfer, not the session.
 */
public final class Download {
    private Download() {
    }

    /**
     * Starts the transfer on a thread named after it; a file that cannot be sent is answered with
     * {@code error} (not_found, bad_request or io) from that thread.
     */
    public static void start(Get request, ExecContext.Sink sink, String threadName, Runnable onEnd) {
        Thread t = new Thread(() -> run(request, sink, onEnd), threadName);
        t.setDaemon(true);
        t.start();
    }

    private static void run(Get request, ExecContext.Sink sink, Runnable onEnd) {
        try (SourceFile file = SourceFile.open(request.path())) {
            send(request, sink, file);
        } catch (RequestException e) {
            tell(sink, new ErrorReply(request.id(), e.code(), e.getMessage()));
        } catch (IOException e) {
            tell(sink, new ErrorReply(request.id(), ErrorCode.IO, "get " + request.path() + ": " + e.getMessage()));
        } finally {
            onEnd.run();
        }
    }

    private static void send(Get request, ExecContext.Sink sink, SourceFile file) throws IOException {
        MessageDigest digest = Crypto.newSha256();
        sink.send(new FileInfo(request.id(), file.size(), file.mode()));
        byte[] buf = new byte[Limits.CHUNK];
        long sent = 0;
        int n;
        while ((n = file.read(buf)) >= 0) {
            byte[] chunk = Arrays.copyOf(buf, n);
            digest.update(chunk);
            sink.send(Data.chunk(request.id(), chunk));
            sent += n;
        }
        sink.send(new Done(request.id(), sent, HexFormat.of().formatHex(digest.digest())));
    }

    private static void tell(ExecContext.Sink sink, ErrorReply error) {
        try {
            sink.send(error);
        } catch (IOException gone) {
            // The console is gone; nothing to tell.
        }
    }
}
