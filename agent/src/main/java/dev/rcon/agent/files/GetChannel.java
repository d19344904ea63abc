package dev.rcon.agent.files;

import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/**
 * One {@code get}: {@code file} with size and mode, then the bytes in data records of at most
 * 64 KiB as the console's window allows, then {@code done} with the SHA-256 of exactly what was
 * sent. Opening and reading run on the channel's own thread, never on the session's reader: an
 * open that blocks (a regular file swapped for a FIFO after its check) holds up this transfer only.
 */
public final class GetChannel extends TransferChannel {
    private final Get request;
    private final Semaphore wholeReads;
    private volatile boolean abandoned;

    /**
     * @param wholeReads the agent's budget for files read whole ({@link SourceFile#WHOLE_BUDGET})
     * @param onFinished told the outcome once: the {@code done}, or why the get failed
     */
    public GetChannel(Link link, Get request, Semaphore wholeReads, BiConsumer<Done, RequestException> onFinished) {
        super(link, onFinished);
        this.request = request;
        this.wholeReads = wholeReads;
    }

    @Override
    protected void onMessage(Message message) throws ProtocolException {
        throw cannotTake("a get", message);
    }

    /**
     * Opens the file (only a regular one, with its real size: see {@link SourceFile}) and sends
     * it whole; null when the channel was abandoned or the console went away.
     */
    @Override
    protected Done transfer() throws RequestException, InterruptedException {
        MessageDigest digest = Crypto.newSha256();
        long sent = 0;
        try (SourceFile file = SourceFile.open(request.path(), wholeReads)) {
            if (!sendQuietly(new FileInfo(request.id(), file.size(), file.mode()))) {
                return null;
            }
            byte[] buf = new byte[Limits.CHUNK];
            int n;
            while ((n = file.read(buf)) >= 0) {
                // Abandoned: terminate() also stopped sending, so no credit comes either.
                if (abandoned || !sendWithinWindow(buf, n, Data.chunk(request.id(), new byte[0]))) {
                    return null;
                }
                digest.update(buf, 0, n);
                sent += n;
            }
        } catch (RequestException e) {
            throw e;
        } catch (IOException e) {
            throw new RequestException(ErrorCode.IO, "get " + request.path() + ": " + e.getMessage());
        }
        Done done = new Done(request.id(), sent, HexFormat.of().formatHex(digest.digest()));
        return done;
    }

    /** Stops sending; the console learns of it from the session's end. */
    @Override
    public void terminate() {
        abandoned = true;
        stopSending();
    }

    @Override
    public void kill() {
        terminate();
    }
}
