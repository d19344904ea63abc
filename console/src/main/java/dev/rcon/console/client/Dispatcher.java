package dev.rcon.console.client;

import dev.rcon.common.msg.Error;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stderr;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.FrameReader;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The reader thread of one connection: routes each record to the command it is about. */
final class Dispatcher implements Runnable {
    private final Target target;
    private final FrameReader reader;
    private final CompletableFuture<Void> agentClosed;
    private final Map<Integer, RemoteCommand> commands = new ConcurrentHashMap<>();
    private volatile RemoteException ended;

    Dispatcher(Target target, FrameReader reader, CompletableFuture<Void> agentClosed) {
        this.target = target;
        this.reader = reader;
        this.agentClosed = agentClosed;
    }

    void register(RemoteCommand command) {
        commands.put(command.id(), command);
        RemoteException e = ended;
        if (e != null) {
            failAll(e);
        }
    }

    void forget(int id) {
        commands.remove(id);
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
                    // An agent newer than us may send what we do not know; it concerns no command we run.
                    continue;
                }
                if (!deliver(m)) {
                    end = new RemoteException(ErrorCode.IO, target + ": the agent closed the session");
                    break;
                }
            }
        } catch (EOFException e) {
            end = new RemoteException(ErrorCode.IO, target + ": connection lost (outcome of running commands unknown)");
        } catch (IOException e) {
            end = new RemoteException(ErrorCode.IO, target + ": connection failed: " + e.getMessage());
        }
        ended = end;
        agentClosed.complete(null);
        failAll(end);
    }

    /** False when the agent ended the session. */
    private boolean deliver(Message m) throws IOException {
        switch (m.type()) {
            case STARTED -> {
                var c = find(m);
                if (c.isPresent()) {
                    c.get().onStarted(((Started) m).pid());
                    c.get().listener().started(((Started) m).pid());
                }
            }
            case STDOUT -> {
                var c = find(m);
                if (c.isPresent()) {
                    c.get().listener().stdout(((Stdout) m).payload());
                }
            }
            case STDERR -> {
                var c = find(m);
                if (c.isPresent()) {
                    c.get().listener().stderr(((Stderr) m).payload());
                }
            }
            case EXIT -> {
                RemoteCommand c = commands.remove(m.requestId());
                if (c != null) {
                    c.onExit((Exit) m);
                }
            }
            case ERROR -> error((Error) m);
            case CLOSE -> {
                return false;
            }
            case HELLO, EXEC, STDIN, SIGNAL, PUT, DATA, GET, FILE, DONE, PING, PONG -> { }
        }
        return true;
    }

    private void error(Error e) {
        RemoteException ex = new RemoteException(e.code(), e.message());
        if (e.id() == null) {
            failAll(ex);
            return;
        }
        RemoteCommand c = commands.remove(e.id());
        if (c != null) {
            c.onFailure(ex);
        }
    }

    private java.util.Optional<RemoteCommand> find(Message m) {
        return java.util.Optional.ofNullable(commands.get(m.requestId()));
    }

    private void failAll(RemoteException e) {
        for (RemoteCommand c : List.copyOf(commands.values())) {
            commands.remove(c.id());
            c.onFailure(e);
        }
    }
}
