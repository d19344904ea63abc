package dev.rcon.agent.files;

import dev.rcon.agent.channel.InputQueue;
import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ProtocolException;
import java.util.function.BiConsumer;

/**
 * One {@code put}. The reader thread only counts {@code data} against the window and queues it
 * (so at most W0 bytes wait, gathered so that one-byte records cost no more than their bytes); a
 * thread of the channel's own opens the temporary file, writes, checks, syncs and renames it,
 * and gives credit back as it writes. A failed put answers one {@code error}; later data for it
 * is dropped.
 */
public final class PutChannel extends TransferChannel {
    private final Put request;
    private final InputQueue queue = new InputQueue();
    /** The digest the console's eof record gave; guarded by the queue, as are the two flags. */
    private String sha256;
    private boolean eof;
    private boolean abandoned;

    /** @param onFinished told the outcome once: the {@code done}, or why the put failed */
    public PutChannel(Link link, Put request, BiConsumer<Done, RequestException> onFinished) {
        super(link, onFinished);
        this.request = request;
    }

    @Override
    protected void onMessage(Message message) throws ProtocolException {
        if (!(message instanceof Data data)) {
            throw cannotTake("a put", message);
        }
        arrived(data.payload().length);
        synchronized (queue) {
            if (eof || abandoned) {
                return;
            }
            queue.add(data.payload());
            if (data.isEof()) {
                eof = true;
                sha256 = data.sha256();
            }
            queue.notifyAll();
        }
    }

    @Override
    protected Done transfer() throws RequestException, InterruptedException {
        try (Upload upload = Upload.begin(request)) {
            while (true) {
                InputQueue.Chunk next;
                String digest;
                synchronized (queue) {
                    while (queue.isEmpty() && !eof && !abandoned) {
                        queue.wait();
                    }
                    if (abandoned) {
                        return null;
                    }
                    next = queue.poll();
                    digest = sha256;
                }
                if (next == null) {
                    return upload.finish(digest);
                }
                upload.write(next.bytes(), next.length());
                consumed(next.length());
            }
        }
    }

    /** Abandons the put: the temporary file goes, nothing is renamed. */
    @Override
    public void terminate() {
        synchronized (queue) {
            abandoned = true;
            queue.clear();
            queue.notifyAll();
        }
    }

    @Override
    public void kill() {
        terminate();
    }
}
