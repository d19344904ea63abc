package dev.rcon.console.client;

import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;

/** A request in flight on a session: a command or a file transfer, by its id. */
interface Pending {
    int id();

    /** Takes a record about this request; true when it was the last one. */
    boolean deliver(Message message) throws IOException;

    /**
     * The agent's {@code window}: credit to send {@code bytes} more on this request.
     *
     * @throws ProtocolException when the window would exceed the spec's maximum
     */
    void window(long bytes) throws ProtocolException;

    /** The agent refused the request, or the session ended under it. */
    void fail(RemoteException e);
}
