package dev.rcon.agent.files;

import dev.rcon.agent.channel.ChannelBase;
import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.net.Log;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * What a put and a get share: the whole transfer runs on a thread of the channel's own (opening
 * and syncing files never run on the session's reader), and ends in exactly one {@code done} or
 * one {@code error}, or in silence when it was abandoned or the console went away.
 */
abstract class TransferChannel extends ChannelBase {
    private final int id;
    private final BiConsumer<Done, RequestException> onFinished;

    /** @param onFinished told the outcome once: the {@code done}, or why the transfer failed */
    TransferChannel(Link link, BiConsumer<Done, RequestException> onFinished) {
        super(link);
        this.id = link.id();
        this.onFinished = onFinished;
    }

    @Override
    public final void open() {
        startOwnThread(this::run);
    }

    @Override
    protected final void noThread(RequestException refusal) {
        onFinished.accept(null, refusal);
        super.noThread(refusal);
    }

    /**
     * The transfer, on the channel's thread.
     *
     * @return the {@code done} to send, or null when it was abandoned or the console went away
     * @throws RequestException answered with one {@code error} carrying its code
     */
    protected abstract Done transfer() throws RequestException, InterruptedException;

    /**
     * The request's path as the JDK names files. A path the host cannot name (a lone surrogate,
     * or any character outside ASCII when the agent runs without a UTF-8 locale, as under a
     * systemd without LANG) is the console's request failing, not a bug of the agent's.
     */
    static Path pathOf(String path) throws RequestException {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "path " + Log.escape(path)
                    + " cannot be a file name on this host: " + e.getReason() + " (the agent's file names are "
                    + System.getProperty("sun.jnu.encoding") + ")");
        }
    }

    private void run() {
        Message last = null;
        try {
            Done done = transfer();
            if (done != null) {
                onFinished.accept(done, null);
                last = done;
            }
        } catch (RequestException e) {
            onFinished.accept(null, e);
            last = new ErrorReply(id, e.code(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A bug of ours: the console still hears that the transfer failed, the thread's handler logs it.
            RequestException internal = new RequestException(ErrorCode.INTERNAL, "internal error");
            onFinished.accept(null, internal);
            last = new ErrorReply(id, internal.code(), internal.getMessage());
            throw e;
        } finally {
            // The id is free before the console hears of the end: it may reuse it at once (RCON1.md 4).
            endedWith(last);
        }
    }
}
