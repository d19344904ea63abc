package dev.rcon.console.client;

import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** One {@code keys} request (a project extension): answered by {@code key_list} or an error. */
final class KeyRequest implements Pending {
    private final int id;
    private final CompletableFuture<KeyList> answer = new CompletableFuture<>();

    private KeyRequest(int id) {
        this.id = id;
    }

    static KeyList send(FrameWriter writer, Dispatcher dispatcher, Keys keys) throws IOException, InterruptedException {
        KeyRequest request = new KeyRequest(keys.id());
        dispatcher.register(request);
        writer.send(keys);
        try {
            return request.answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean deliver(Message message) {
        if (message instanceof KeyList list) {
            answer.complete(list);
            return true;
        }
        return false;
    }

    @Override
    public void window(long bytes) throws ProtocolException {
        throw new ProtocolException("expected key_list but got window for keys request " + id);
    }

    @Override
    public void fail(RemoteException e) {
        answer.completeExceptionally(e);
    }
}
