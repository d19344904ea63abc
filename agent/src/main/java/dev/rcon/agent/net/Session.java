package dev.rcon.agent.net;

import dev.rcon.agent.exec.ExecContext;
import dev.rcon.agent.exec.Execution;
import dev.rcon.agent.exec.ProcessGroups;
import dev.rcon.agent.exec.RequestException;
import dev.rcon.agent.files.Download;
import dev.rcon.agent.files.Upload;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.ProtocolException;
import dev.rcon.common.wire.RecordLimitException;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One authenticated console. Its thread reads records and dispatches them; commands run in
 * {@link Execution}s that send through the same writer. However the session ends (a
 * {@code close}, an EOF, a broken record, agent shutdown), every process group it started is
 * terminated.
 */
final class Session implements AutoCloseable {
    private final Agent agent;
    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final String id;
    private final String peer;
    private final Map<Integer, Execution> running = new ConcurrentHashMap<>();
    private final Map<Integer, Upload> uploads = new ConcurrentHashMap<>();
    private final Set<Integer> downloads = ConcurrentHashMap.newKeySet();
    private final List<Execution> lingering = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Whether the console gets our close once everything is torn down: it asked for close, or
     * our direction ran out of sequence numbers.
     */
    private volatile boolean sayClose;

    Session(Agent agent, Socket socket, FrameReader reader, FrameWriter writer, String id, String peer) {
        this.agent = agent;
        this.socket = socket;
        this.reader = reader;
        this.writer = writer;
        this.id = id;
        this.peer = peer;
    }

    String id() {
        return id;
    }

    /** Serves the console on the calling thread until the session ends. */
    void serve() {
        String end = "closed by console";
        try {
            send(new Hello(agent.agentName(), agent.hostname(), agent.user(), id, agent.config().maxChannels()));
            while (!closed.get()) {
                Message message;
                try {
                    message = reader.receive();
                } catch (BadRequestException e) {
                    send(new ErrorReply(e.requestId(), ErrorCode.BAD_REQUEST, e.getMessage()));
                    continue;
                }
                if (!dispatch(message)) {
                    break;
                }
            }
        } catch (EOFException e) {
            end = "console went away without close";
        } catch (ProtocolException e) {
            end = "closed on protocol error: " + e.getMessage();
        } catch (SocketException e) {
            end = closed.get() ? "closed by agent" : "connection lost: " + e.getMessage();
        } catch (IOException e) {
            end = "connection failed: " + e.getMessage();
        } finally {
            agent.log().info("session " + id + " ended: " + end);
            close();
        }
    }

    /** Handles one message; false when the session is over. */
    private boolean dispatch(Message message) throws IOException {
        switch (message.type()) {
            case EXEC -> exec((Exec) message);
            case STDIN -> stdin((Stdin) message);
            case SIGNAL -> signal((Signal) message);
            case PING -> send(new Pong(((Ping) message).id()));
            case PONG -> { }
            case CLOSE -> {
                sayClose = true;
                return false;
            }
            case PUT -> put((Put) message);
            case DATA -> data((Data) message);
            case GET -> get((Get) message);
            case HELLO, STARTED, STDOUT, STDERR, EXIT, FILE, DONE, ERROR ->
                    send(new ErrorReply(message.requestId(), ErrorCode.BAD_REQUEST,
                            "expected a request but got " + message.type().wireName() + ", which only an agent sends"));
        }
        return true;
    }

    /** Refuses a request whose id is taken or that would exceed max_channels; true if it may go on. */
    private boolean admit(int rid) throws IOException {
        if (running.containsKey(rid) || uploads.containsKey(rid) || downloads.contains(rid)) {
            send(new ErrorReply(rid, ErrorCode.BAD_REQUEST, "id " + rid + " is already in use"));
            return false;
        }
        int max = agent.config().maxChannels();
        if (running.size() + uploads.size() + downloads.size() >= max) {
            send(new ErrorReply(rid, ErrorCode.BUSY, "this session already runs max_channels=" + max + " requests"));
            return false;
        }
        return true;
    }

    private void exec(Exec request) throws IOException {
        int rid = request.id();
        if (!admit(rid)) {
            return;
        }
        ExecContext ctx = new ExecContext("exec-" + id.substring(0, 8) + "-" + rid, this::send, agent.timer(),
                agent.config().killGrace(), agent.config().defaultCommandTimeout(), exit -> finished(request, exit));
        Execution execution;
        try {
            execution = Execution.spawn(request, ctx);
        } catch (RequestException e) {
            refused(rid, describe(request), e);
            return;
        }
        running.put(rid, execution);
        execution.begin();
    }

    private void finished(Exec request, Exit exit) {
        String how = exit.signal() != null ? "signal " + exit.signal() : "exit " + exit.code();
        agent.log().info("session " + id + " id " + request.id() + " " + describe(request) + ": " + how
                + (exit.timedOut() ? " (timed out)" : "") + " in " + exit.durationMs() + " ms");
        Execution execution = running.get(request.id());
        boolean linger = execution != null && ProcessGroups.hasMembers(execution.pid());
        // Under the teardown lock: a close() racing with this either sees the execution running
        // or lingering, never neither.
        synchronized (lingering) {
            running.remove(request.id());
            if (linger && closed.get()) {
                execution.killLingering();
            } else if (linger) {
                lingering.add(execution);
            }
        }
    }

    private void put(Put request) throws IOException {
        if (!admit(request.id())) {
            return;
        }
        try {
            uploads.put(request.id(), Upload.begin(request));
        } catch (RequestException e) {
            refused(request.id(), "put " + request.path(), e);
        }
    }

    /** A piece of an upload; pieces of an upload that already failed are dropped. */
    private void data(Data message) throws IOException {
        Upload upload = uploads.get(message.id());
        if (upload == null) {
            return;
        }
        try {
            upload.write(message.payload());
            if (message.isEof()) {
                Done done = upload.finish(message.sha256());
                uploads.remove(message.id());
                agent.log().info("session " + id + " id " + message.id() + " put: " + done.size() + " bytes, sha256 "
                        + done.sha256());
                send(done);
            }
        } catch (RequestException e) {
            uploads.remove(message.id()).close();
            refused(message.id(), "put", e);
        }
    }

    private void get(Get request) throws IOException {
        if (!admit(request.id())) {
            return;
        }
        downloads.add(request.id());
        agent.log().info("session " + id + " id " + request.id() + " get " + request.path());
        Download.start(request, this::send, "get-" + id.substring(0, 8) + "-" + request.id(),
                () -> downloads.remove(request.id()));
    }

    private void refused(int rid, String what, RequestException e) throws IOException {
        agent.log().info("session " + id + " id " + rid + " " + what + ": " + e.code().wireName() + ": " + e.getMessage());
        send(new ErrorReply(rid, e.code(), e.getMessage()));
    }

    private void stdin(Stdin message) {
        Execution execution = running.get(message.id());
        if (execution != null) {
            execution.stdin(message.payload(), message.isEof());
        }
    }

    private void signal(Signal message) throws IOException {
        Execution execution = running.get(message.id());
        if (execution == null) {
            send(new ErrorReply(message.id(), ErrorCode.NOT_FOUND, "no running command with id " + message.id()));
            return;
        }
        execution.signal(message.signal());
    }

    private static String describe(Exec request) {
        return request.command() != null ? "command '" + request.command() + "'" : "argv " + request.argv();
    }

    /** Tells the console the agent is going away; the caller bounds how long this may block. */
    void announceClose() {
        sendQuietly(new Close());
    }

    /** TERM to every running command's group; their KILL follows the grace period. */
    void stopCommands() {
        running.values().forEach(Execution::terminate);
    }

    /** Waits for every command of the session to end, until the deadline. */
    void awaitCommands(long deadlineNanos) throws InterruptedException {
        for (Execution execution : List.copyOf(running.values())) {
            execution.awaitEnd(deadlineNanos);
        }
    }

    /** KILL to every group the session still has, running or left behind. */
    void killCommands() {
        synchronized (lingering) {
            running.values().forEach(Execution::killLingering);
            lingering.forEach(Execution::killLingering);
        }
    }

    /** Sends for commands and transfers; a session out of sequence numbers closes, as the spec asks. */
    private void send(Message message) throws IOException {
        try {
            writer.send(message);
        } catch (RecordLimitException e) {
            agent.log().warn("session " + id + " closing: " + e.getMessage());
            sayClose = true;
            close();
            throw e;
        }
    }

    /** Turns the console away with {@code error} before serving anything. */
    void refuse(ErrorReply error) {
        sendQuietly(error);
        close();
    }

    private void sendQuietly(Message message) {
        try {
            writer.send(message);
        } catch (IOException | RuntimeException e) {
            // The console is gone or the session is at its end: nothing to tell.
        }
    }

    /** Terminates every process group of the session, then closes the connection. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (lingering) {
            running.values().forEach(Execution::close);
            lingering.forEach(Execution::killLingering);
        }
        uploads.values().forEach(Upload::close);
        if (sayClose) {
            sendQuietly(new Close());
        }
        closeSocket();
        agent.removed(this);
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all we wanted.
        }
    }

    @Override
    public String toString() {
        return "session " + id + " from " + peer;
    }
}
