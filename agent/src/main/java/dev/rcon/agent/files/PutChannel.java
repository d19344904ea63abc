package dev.rcon.agent.files;

import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ProtocolException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * One {@code put}. The reader thread only counts {@code data} against the window and queues it
 * (so at most W0 bytes wait); a thread of the channel's own opens the temporary file, writes,
 * checks, syncs and renames it, and gives credit back as it writes. A failed put answers one
 * {@code error}; later data for it is dropped.
 */
public final class PutChannel extends TransferChannel {
    private static final Data ABANDON = Data.chunk(Integer.MAX_VALUE, new byte[0]);

    private final Put request;
    private final LinkedBlockingQueue<Data> queue = new LinkedBlockingQueue<>();

    /** @param onFinished told the outcome once: the {@code done}, or why the put failed */
    public PutChannel(Link link, Put request, BiConsumer<Done, RequestException> onFinished) {
        super(link, onFinished);
        this.request = request;
    }

    @Override
    protected void onMessage(Message message) throws ProtocolException {
        if (message instanceof Data data) {
            arrived(data.payload().length);
            queue.add(data);
        } else {
            throw cannotTake("a put", message);
        }
    }

    @Override
    protected Done transfer() throws RequestException, InterruptedException {
        try (Upload upload = Upload.begin(request)) {
            while (true) {
                Data data = queue.take();
                if (data == ABANDON) {
                    return null;
                }
                upload.write(data.payload());
                consumed(data.payload().length);
                if (data.isEof()) {
                    Done done = upload.finish(data.sha256());
                    return done;
                }
            }
        }
    }

    /** Abandons the put: the temporary file goes, nothing is renamed. */
    @Override
    public void terminate() {
        queue.clear();
        queue.add(ABANDON);
    }

    @Override
    public void kill() {
        terminate();
    }
}
