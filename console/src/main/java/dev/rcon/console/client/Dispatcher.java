package dev.rcon.console.client;

import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.ProtocolException;
import dev.rcon.common.wire.RecordLimitException;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.FrameReader;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The reader thread of one connection: routes each record to the request it is about. */
final class Dispatcher implements Runnable {
    private final Target target;
    private final FrameReader reader;
    private final CompletableFuture<Void> agentClosed;
    private final dev.rcon.common.wire.FrameWriter writer;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Runnable abort;
    private volatile RemoteException ended;
    private volatile boolean broken;

    /** @param abort closes the connection at once, sending nothing more */
    Dispatcher(Target target, FrameReader reader, dev.rcon.common.wire.FrameWriter writer,
               CompletableFuture<Void> agentClosed, Runnable abort) {
        this.target = target;
        this.reader = reader;
        this.writer = writer;
        this.agentClosed = agentClosed;
        this.abort = abort;
    }

    /** True once the agent broke the protocol and the connection was dropped without a close. */
    boolean broken() {
        return broken;
    }

    void register(Pending request) {
        pending.put(request.id(), request);
        RemoteException e = ended;
        if (e != null) {
            failAll(e);
        }
    }

    void forget(int id) {
        pending.remove(id);
    }

    @Override
    public void run() {
        RemoteException end;
        try {
            while (true) {
                Message m;
                try {
                    m = reader.receive();
                } catch (BadRequestException e) {
                    unreadable(e);
                    continue;
                }
                if (!deliver(m)) {
                    end = new RemoteException(ErrorCode.IO, target + (writer.limitReached()
                            ? ": the session used up its 2^24 records and was closed"
                            : ": the agent closed the session"));
                    break;
                }
            }
        } catch (EOFException e) {
            end = new RemoteException(ErrorCode.IO, target + ": connection lost (outcome of running commands unknown)");
        } catch (ProtocolException e) {
            // RCON1.md 3 and 4.1: the connection closes at once, and a record that did not
            // authenticate is never answered, not even by a close.
            // Our own writer at its record limit is no fault of the agent's: close goes out then.
            if (!(e instanceof RecordLimitException)) {
                broken = true;
                abort.run();
            }
            end = new RemoteException(ErrorCode.IO, target + ": connection failed: " + e.getMessage());
        } catch (IOException e) {
            end = new RemoteException(ErrorCode.IO, target + ": connection failed: " + e.getMessage());
        }
        ended = end;
        agentClosed.complete(null);
        failAll(end);
    }

    /** False when the agent ended the session. */
    private boolean deliver(Message m) throws IOException {
        if (m.type() == dev.rcon.common.msg.MessageType.CLOSE) {
            return false;
        }
        if (m instanceof dev.rcon.common.msg.Ping ping) {
            writer.send(new dev.rcon.common.msg.Pong(ping.id()));
            return true;
        }
        if (m instanceof ErrorReply e) {
            RemoteException ex = new RemoteException(e.code(), e.message());
            if (e.id() == null) {
                failAll(ex);
            } else {
                Pending p = pending.remove(e.id());
                if (p != null) {
                    p.fail(ex);
                }
            }
            return true;
        }
        Integer id = m.requestId();
        Pending p = id == null ? null : pending.get(id);
        if (m instanceof dev.rcon.common.msg.Window w) {
            if (p != null) {
                p.window(w.bytes());
            }
            return true;
        }
        if (p != null && p.deliver(m)) {
            pending.remove(id);
        }
        return true;
    }

    /**
     * A record that did not decode (a field or code we do not know). About no request of ours,
     * it is skipped: an agent newer than us may send what we do not know. About one of ours, it
     * fails that request: skipping it lost a command's output without a word (and its exit
     * still said 0), or left the command waiting for an end the unread error had brought.
     */
    private void unreadable(BadRequestException e) {
        Pending p = e.requestId() == null ? null : pending.remove(e.requestId());
        if (p != null) {
            p.fail(new RemoteException(ErrorCode.IO, target + ": cannot read the agent's record: " + e.getMessage()));
        }
    }

    private void failAll(RemoteException e) {
        for (Pending p : List.copyOf(pending.values())) {
            pending.remove(p.id());
            p.fail(e);
        }
    }
}
