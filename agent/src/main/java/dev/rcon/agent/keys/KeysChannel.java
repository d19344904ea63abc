package dev.rcon.agent.keys;

import dev.rcon.agent.channel.ChannelBase;
import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ProtocolException;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One {@code keys} request. Reading, writing and syncing the keys file run on the channel's own
 * thread, never on the session's reader; the answer is one {@code key_list} or one {@code error}.
 * A change once begun is finished even if the session ends, so the file is never left half done.
 */
public final class KeysChannel extends ChannelBase {
    private final Keys request;
    private final KeyStore store;
    private final Key caller;
    private final BiConsumer<List<KeyList.Entry>, RequestException> onFinished;

    /** @param onFinished told the outcome once: the keys after the change, or why it failed */
    public KeysChannel(Link link, Keys request, KeyStore store, Key caller,
                       BiConsumer<List<KeyList.Entry>, RequestException> onFinished) {
        super(link);
        this.request = request;
        this.store = store;
        this.caller = caller;
        this.onFinished = onFinished;
    }

    @Override
    public void open() {
        startOwnThread(this::run);
    }

    @Override
    protected void noThread(RequestException refusal) {
        onFinished.accept(null, refusal);
        super.noThread(refusal);
    }

    private void run() {
        Message last = null;
        try {
            List<KeyList.Entry> keys = store.apply(request, caller);
            onFinished.accept(keys, null);
            last = new KeyList(request.id(), keys);
        } catch (RequestException e) {
            onFinished.accept(null, e);
            last = new ErrorReply(request.id(), e.code(), e.getMessage());
        } finally {
            // The id is free before the console hears of the end: it may reuse it at once (RCON1.md 4).
            endedWith(last);
        }
    }

    @Override
    protected void onMessage(Message message) throws ProtocolException {
        throw cannotTake("a keys request", message);
    }

    /** A change runs to its end in bounded time; there is nothing to stop. */
    @Override
    public void terminate() {
    }

    @Override
    public void kill() {
    }
}
