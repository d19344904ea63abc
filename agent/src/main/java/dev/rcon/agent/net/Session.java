package dev.rcon.agent.net;

import dev.rcon.agent.auth.KeyPolicy;
import dev.rcon.agent.channel.Channel;
import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.exec.ExecChannel;
import dev.rcon.common.io.Closing;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageType;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One authenticated console: a thin router over channels. Its thread reads records; requests
 * open channels at one place ({@link #open}), where the key's policy and the limits are
 * checked; every other record goes to its channel, which never blocks this thread. However the
 * session ends (a {@code close}, an EOF, a broken record, agent shutdown), every channel is
 * ended and every process group it started is terminated.
 */
final class Session implements AutoCloseable {
    private static final long TRANSFER_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    private static final int LOOK_OVER_MIN = 64;

    private final Agent agent;
    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final String id;
    private final String peer;
    private final KeyPolicy policy;
    private final SessionRecord record;
    private final ChannelRegistry channels = new ChannelRegistry();
    private final SessionChannels make;
    private final List<ExecChannel> lingering = new ArrayList<>();
    /** The size of {@link #lingering} at which it is next looked over for commands with nothing left. */
    private int lookOverAt = LOOK_OVER_MIN;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Whether the console gets our close once everything is torn down: it asked for close, or
     * our direction ran out of sequence numbers.
     */
    private volatile boolean sayClose;

    Session(Agent agent, Socket socket, FrameReader reader, FrameWriter writer, String id, String peer,
            KeyPolicy policy) {
        this.agent = agent;
        this.socket = socket;
        this.reader = reader;
        this.writer = writer;
        this.id = id;
        this.peer = peer;
        this.policy = policy;
        this.record = new SessionRecord(agent.log(), agent.audit(), id, peer, policy);
        this.make = new SessionChannels(agent, id, policy, record, channels, new ChannelsOut(), whereFrom(), this::lingered);
    }

    String id() {
        return id;
    }

    /** Whether its key is a limited one, which shares at most half of the agent's slots. */
    boolean limited() {
        return policy.options().limited();
    }

    /** RCON1.md 3: hello names the user commands run as, the key's {@code user=} when it has one. */
    private String runAsName() {
        return policy.runAs().isAgent() ? agent.user() : policy.runAs().name();
    }

    /** Serves the console on the calling thread until the session ends. */
    void serve() {
        String end;
        try {
            send(new Hello(agent.agentName(), agent.hostname(), runAsName(), id, agent.config().maxChannels()));
            end = readUntilClose();
        } catch (EOFException e) {
            end = "console went away without close";
        } catch (ProtocolException e) {
            end = "closed on protocol error: " + e.getMessage();
        } catch (SocketException e) {
            end = closed.get() ? "closed by agent" : "connection lost: " + e.getMessage();
        } catch (IOException e) {
            end = closed.get() ? "closed by agent" : "connection failed: " + e.getMessage();
        } catch (OutOfMemoryError e) {
            // Only a thread the host would not give gets here: the heap's end exits the JVM (the unit's flags).
            end = "out of threads: " + e.getMessage();
        } catch (RuntimeException e) {
            // A bug of ours outside any one request (an answer that cannot be sent): the session
            // ends with its commands, instead of its thread dying with them running and its slot held.
            agent.log().error("session " + id + " failed: " + e);
            end = "internal error";
        }
        agent.log().info("session " + id + " ended: " + end);
        close();
    }

    /** Reads and routes records until the console's close; returns why the session ended. */
    private String readUntilClose() throws IOException {
        while (!closed.get()) {
            Message message;
            try {
                message = reader.receive();
            } catch (BadRequestException e) {
                send(new ErrorReply(e.requestId(), ErrorCode.BAD_REQUEST, e.getMessage()));
                continue;
            }
            try {
                if (!dispatch(message)) {
                    return "closed by console";
                }
            } catch (BadRequestException e) {
                // A record a channel cannot take (a signal for a put): the console's mistake, answered.
                send(new ErrorReply(e.requestId(), ErrorCode.BAD_REQUEST, e.getMessage()));
            } catch (RuntimeException e) {
                // A bug of ours, never the peer's fault: one line, the request fails, the session goes on.
                agent.log().error("session " + id + " " + message.type().wireName() + " failed: " + e);
                send(new ErrorReply(message.requestId(), ErrorCode.INTERNAL, "internal error"));
            }
        }
        return "closed by agent";
    }

    /** Handles one message; false when the console closed the session. */
    private boolean dispatch(Message message) throws IOException {
        switch (message.type()) {
            case EXEC, PUT, GET, KEYS -> open(message);
            case STDIN, SIGNAL, RESIZE, DATA, WINDOW -> route(message);
            case PING -> send(new Pong(((Ping) message).id()));
            case PONG -> { }
            case CLOSE -> {
                sayClose = true;
                return false;
            }
            case HELLO, STARTED, STDOUT, STDERR, EXIT, FILE, DONE, ERROR, KEY_LIST ->
                    send(new ErrorReply(message.requestId(), ErrorCode.BAD_REQUEST,
                            "expected a request but got " + message.type().wireName() + ", which only an agent sends"));
        }
        return true;
    }

    /** The one place where channels open: id, limits and the key's policy are checked here. */
    private void open(Message request) throws IOException {
        int rid = request.requestId();
        MessageType kind = request.type();
        if (channels.contains(rid)) {
            send(new ErrorReply(rid, ErrorCode.BAD_REQUEST, "id " + rid + " is already in use"));
            return;
        }
        int max = agent.config().maxChannels();
        if (channels.size() >= max) {
            send(new ErrorReply(rid, ErrorCode.BUSY, "this session already runs max_channels=" + max + " requests"));
            return;
        }
        // The policy sees the whole request: a key may be refused a terminal (exec with pty).
        Optional<String> denial = policy.denial(request);
        if (denial.isPresent()) {
            refused(rid, kind.wireName(), new RequestException(ErrorCode.DENIED, denial.get()));
            return;
        }
        boolean input = SharedLimits.takesInput(request);
        Optional<String> busy = agent.limits().reserve(request, input, limited());
        if (busy.isPresent()) {
            send(new ErrorReply(rid, ErrorCode.BUSY, busy.get()));
            return;
        }
        Channel channel = make.create(request, input);
        channels.add(rid, channel);
        if (closed.get()) {
            // A close on another thread (agent shutdown) may have ended the channels it saw before this one.
            channel.terminate();
        }
        channel.open();
    }

    /**
     * What every command learns of where it runs from, as ssh's SSH_CONNECTION: the console's
     * address and port, the agent's, and the name of the key that logged in. Set last, so a
     * console cannot pass them off as something else.
     */
    private Map<String, String> whereFrom() {
        return Map.of("RCON_CONNECTION", socket.getInetAddress().getHostAddress() + " " + socket.getPort() + " "
                        + socket.getLocalAddress().getHostAddress() + " " + socket.getLocalPort(),
                "RCON_KEY", policy.key().name());
    }

    /**
     * A record for a channel in flight; one for a channel that just ended is dropped (a resize
     * may cross the command's exit). A signal for no command is {@code not_found}, but not while
     * the command's {@code exit} is still on its way: the console (RCON1.md 4 gives an error no
     * way to say it is not the request's end) took that error, sent before the exit, for the
     * end, and a Ctrl-C that crossed a command's end reported an error instead of its status.
     */
    private void route(Message message) throws IOException {
        int rid = message.requestId();
        Channel channel = channels.get(rid);
        if (channel != null) {
            channel.receive(message);
        } else if (message.type() == MessageType.SIGNAL && !channels.isEnding(rid)) {
            send(new ErrorReply(rid, ErrorCode.NOT_FOUND, "no running command with id " + rid));
        }
    }

    /** A command that ended with processes left behind: they are killed with the session. */
    private void lingered(ExecChannel command) {
        // Under the teardown lock: a close() racing with this sees the group lingering, or kills it here.
        synchronized (lingering) {
            if (closed.get()) {
                command.kill();
                return;
            }
            // Jobs end by themselves too: those gone give their scope back, or a long session of short
            // background jobs would keep every command (and its cgroup). Looked over when the list
            // doubled, so each command costs a few looks however many jobs still live.
            if (lingering.size() >= lookOverAt) {
                lingering.removeIf(ExecChannel::releaseIfGone);
                lookOverAt = Math.max(LOOK_OVER_MIN, 2 * lingering.size());
            }
            lingering.add(command);
        }
    }

    private void refused(int rid, String what, RequestException e) throws IOException {
        record.refused(rid, what, e);
        send(new ErrorReply(rid, e.code(), e.getMessage()));
    }

    /** Tells the console the agent is going away; the caller bounds how long this may block. */
    void announceClose() {
        sendQuietly(new Close());
    }

    /** TERM to every running command's group; their KILL follows the grace period. */
    void stopCommands() {
        channels.all().forEach(Channel::terminate);
    }

    /** Waits for every channel of the session to end, until the deadline. */
    void awaitCommands(long deadlineNanos) throws InterruptedException {
        for (Channel channel : channels.all()) {
            channel.awaitEnd(deadlineNanos);
        }
    }

    /** KILL to every group the session still has, running or left behind. */
    void killCommands() {
        synchronized (lingering) {
            channels.all().forEach(Channel::kill);
            lingering.forEach(ExecChannel::kill);
        }
    }

    /** Sends for channels; a session out of sequence numbers closes, as the spec asks. */
    private void send(Message message) throws IOException {
        sending(() -> writer.send(message));
    }

    private interface Sending {
        void run() throws IOException;
    }

    /** The channels' way out: this session's sends, slices of their buffers without a copy. */
    private final class ChannelsOut implements Link.Outbound {
        @Override
        public void send(Message message) throws IOException {
            Session.this.send(message);
        }

        @Override
        public void send(Message.WithPayload carrier, byte[] buf, int off, int len) throws IOException {
            sending(() -> writer.send(carrier, buf, off, len));
        }
    }

    private void sending(Sending send) throws IOException {
        try {
            send.run();
        } catch (RecordLimitException e) {
            agent.log().warn("session " + id + " closing: " + e.getMessage());
            sayClose = true;
            close();
            throw e;
        }
    }

    /** Turns the console away with {@code error} before serving anything. */
    void refuse(ErrorReply error) {
        // RCON1.md 3: hello comes first; max_channels 0 tells the console no request can follow.
        sendQuietly(new Hello(agent.agentName(), agent.hostname(), runAsName(), id, 0));
        sendQuietly(error);
        sayClose = true;
        close();
    }

    private void sendQuietly(Message message) {
        try {
            writer.send(message);
        } catch (IOException | RuntimeException e) {
            // The console is gone or the session is at its end: nothing to tell.
        }
    }

    /** Ends every channel and process group of the session, then closes the connection. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Channel> open = channels.all();
        // First: a pump waiting for credit the console will never give would never see its
        // command's end (a console that stopped granting, then went away, left the command's
        // thread, cgroup and max_commands slot behind for good).
        open.forEach(Channel::consoleGone);
        synchronized (lingering) {
            open.forEach(Channel::terminate);
            lingering.forEach(ExecChannel::kill);
        }
        awaitTransfers(open);
        // Before the console hears the end: one that reconnects at once finds the slot free.
        agent.removed(this);
        if (sayClose) {
            sendQuietly(new Close());
        }
        closeSocket();
    }

    /**
     * Abandoned transfers remove their temporary files on their own threads; a console that gets
     * our close may rely on that having happened. Commands are not awaited: their KILL follows
     * the grace period whatever the console does.
     */
    private static void awaitTransfers(List<Channel> open) {
        long deadline = System.nanoTime() + TRANSFER_GRACE_NANOS;
        try {
            for (Channel channel : open) {
                if (!(channel instanceof ExecChannel)) {
                    channel.awaitEnd(deadline);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSocket() {
        Closing.quietly(socket);
    }

    @Override
    public String toString() {
        return "session " + id + " from " + peer + " key " + policy.key().name();
    }
}
