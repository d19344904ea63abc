package dev.rcon.console.client;

import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.ClientHandshake;
import dev.rcon.common.auth.HostKeys;
import dev.rcon.common.auth.HostLabel;
import dev.rcon.common.auth.Key;
import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.io.Closing;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.ProtocolException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One authenticated session with one agent. Commands share it: each gets a fresh id, and the
 * reader thread routes every record to its command. Closing sends {@code close}, waits a
 * bounded time for the agent's, then closes the socket.
 */
public final class RconClient implements AutoCloseable {
    /** How long closing waits for the agent's {@code close}. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final Target target;
    private final Socket socket;
    private final FrameWriter writer;
    private final Hello hello;
    private final Dispatcher dispatcher;
    /** Where the reader and the polite close run: threads of their own, or a fleet run's kept ones. */
    private final TaskStarter threads;
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> agentClosed = new CompletableFuture<>();
    private long connectNanos;
    private long authNanos;

    private RconClient(Target target, Socket socket, FrameReader reader, FrameWriter writer, Hello hello,
                       TaskStarter threads) {
        this.target = target;
        this.threads = threads;
        this.socket = socket;
        this.writer = writer;
        this.hello = hello;
        this.dispatcher = new Dispatcher(target, reader, writer, agentClosed, () -> Closing.quietly(socket));
        threads.start("rcon-reader-" + target, dispatcher);
    }

    /**
     * Connects, authenticates with the key derived from {@code fleetKey} for the target's label
     * (RCON1.md 5.1), and reads {@code hello}, all within {@code connectTimeout}.
     *
     * @throws ConnectFailure with one line naming the host and what went wrong
     */
    public static RconClient connect(Target target, Key fleetKey, Duration connectTimeout) throws ConnectFailure {
        return connect(target, fleetKey, connectTimeout, socket -> { });
    }

    /**
     * As {@link #connect(Target, Key, Duration)}, and hands {@code opened} the socket before it
     * connects, so that another thread can give up on a connect or handshake under way by closing
     * it (Ctrl-C during a fleet run): a blocked connect or read then fails at once.
     */
    public static RconClient connect(Target target, Key fleetKey, Duration connectTimeout,
                                     java.util.function.Consumer<java.io.Closeable> opened) throws ConnectFailure {
        return connect(target, fleetKey, connectTimeout, opened, TaskStarter.newThreads());
    }

    /**
     * As {@link #connect(Target, Key, Duration, java.util.function.Consumer)}, the session's reader
     * and its polite close running on {@code threads} (a fleet run keeps them for the next host).
     */
    public static RconClient connect(Target target, Key fleetKey, Duration connectTimeout,
                                     java.util.function.Consumer<java.io.Closeable> opened, TaskStarter threads)
            throws ConnectFailure {
        String where = target.where(target.host() + ":" + target.port());
        Socket socket = openSocket(where);
        opened.accept(socket);
        HostLabel label;
        try {
            label = target.hostLabel();
        } catch (IllegalArgumentException e) {
            throw new ConnectFailure(ConnectFailure.Reason.UNREACHABLE, target.where(target.host()), e.getMessage(), e);
        }
        Key key = HostKeys.derive(fleetKey, label);
        long connectNanos = -1;
        try {
            long deadline = System.nanoTime() + connectTimeout.toNanos();
            InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
            if (address.isUnresolved()) {
                throw new ConnectFailure(ConnectFailure.Reason.UNREACHABLE, target.where(target.host()), "unknown host", null);
            }
            long start = System.nanoTime();
            socket.connect(address, (int) Math.max(1, connectTimeout.toMillis()));
            long connected = System.nanoTime();
            connectNanos = connected - start;
            socket.setTcpNoDelay(true);
            MessageCodec codec = MessageCodec.shared();
            DeadlineInputStream in = new DeadlineInputStream(socket, socket.getInputStream(), deadline);
            FrameReader reader = new FrameReader(in, codec);
            FrameWriter writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), 8192), codec);
            new ClientHandshake(key, new SecureRandom()).run(reader, writer);
            Message first = reader.receive();
            if (first instanceof ErrorReply refusal) {
                // An agent before hello carried max_channels 0 refused this way.
                throw ConnectFailure.refused(where, refusal);
            }
            if (!(first instanceof Hello hello)) {
                throw new ProtocolException("expected hello but got " + first.type().wireName());
            }
            if (hello.refusesSession()) {
                Message why = reader.receive();
                if (!(why instanceof ErrorReply refusal)) {
                    throw new ProtocolException("expected the error of a refused session but got " + why.type().wireName());
                }
                throw ConnectFailure.refused(where, refusal);
            }
            in.clear();
            RconClient client = new RconClient(target, socket, reader, writer, hello, threads);
            client.connectNanos = connectNanos;
            client.authNanos = System.nanoTime() - connected;
            return client;
        } catch (IOException e) {
            Closing.quietly(socket);
            ConnectFailure failure = describe(target, where, connectTimeout, e, label, key);
            throw connectNanos < 0 ? failure : failure.afterConnect(connectNanos);
        }
    }

    /**
     * A channel's socket, not a plain one: JDK 17's plain socket turns non-blocking for good at a
     * connect or read with a timeout, and the handshake has both, so every read of the session
     * after it went read, EAGAIN, poll, read. A channel's socket goes back to blocking after each.
     */
    private static Socket openSocket(String where) throws ConnectFailure {
        try {
            return SocketChannel.open().socket();
        } catch (IOException e) {
            throw new ConnectFailure(ConnectFailure.Reason.UNREACHABLE, where, "cannot open a socket: " + e.getMessage(), e);
        }
    }

    private static ConnectFailure describe(Target target, String where, Duration timeout, IOException e,
                                           HostLabel label, Key key) {
        if (e instanceof ConnectFailure c) {
            return c;
        }
        if (e instanceof UnknownHostException) {
            return new ConnectFailure(ConnectFailure.Reason.UNREACHABLE, target.where(target.host()), "unknown host", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new ConnectFailure(ConnectFailure.Reason.TIMEOUT, where,
                    "timed out connecting after " + Durations.format(timeout), e);
        }
        if (e instanceof AuthenticationException a && a.agentFailedProof()) {
            return new ConnectFailure(ConnectFailure.Reason.DENIED, where, e.getMessage() + " for label " + label, e);
        }
        if (e instanceof AuthenticationException) {
            return new ConnectFailure(ConnectFailure.Reason.DENIED, where, e.getMessage() + " (label " + label
                    + ", kid " + key.kidHex() + "); enroll the host with the line of: rcon authorize " + label, e);
        }
        if (e instanceof ProtocolException) {
            return new ConnectFailure(ConnectFailure.Reason.PROTOCOL, where, "not an rcon/1 agent: " + e.getMessage(), e);
        }
        if (e instanceof java.net.ConnectException) {
            return new ConnectFailure(ConnectFailure.Reason.UNREACHABLE, where, "connection refused", e);
        }
        if (e instanceof java.io.EOFException) {
            return new ConnectFailure(ConnectFailure.Reason.PROTOCOL, where,
                    "the agent closed the connection (" + e.getMessage() + ")", e);
        }
        return new ConnectFailure(ConnectFailure.Reason.UNREACHABLE, where, String.valueOf(e.getMessage()), e);
    }

    /** How long the TCP connect took. */
    public Duration connectTime() {
        return Duration.ofNanos(connectNanos);
    }

    /** How long the handshake and the agent's hello took, after the connect. */
    public Duration authTime() {
        return Duration.ofNanos(authNanos);
    }

    public Hello hello() {
        return hello;
    }

    public Target target() {
        return target;
    }

    /** Starts a command built by {@code request} with a fresh id. */
    public RemoteCommand exec(ExecRequest request, OutputListener listener) throws IOException {
        int id = nextId.incrementAndGet();
        RemoteCommand command = new RemoteCommand(id, writer, listener);
        dispatcher.register(command);
        Exec exec = request.toExec(id);
        try {
            writer.send(exec);
        } catch (IOException e) {
            dispatcher.forget(id);
            throw new RemoteException(dev.rcon.common.wire.ErrorCode.IO, target + ": connection lost: " + e.getMessage());
        }
        return command;
    }

    /** Copies local file {@code local} to {@code remote} (absolute) with {@code mode}, e.g. "0644". */
    public dev.rcon.common.msg.Done put(java.nio.file.Path local, String remote, String mode)
            throws IOException, InterruptedException {
        return Transfers.put(nextId.incrementAndGet(), writer, dispatcher, local, remote, mode);
    }

    /** Copies {@code remote} to {@code local}, checked by sha256 and renamed into place. */
    public dev.rcon.common.msg.Done get(String remote, java.nio.file.Path local) throws IOException, InterruptedException {
        return Transfers.get(nextId.incrementAndGet(), writer, dispatcher, remote, local);
    }

    /**
     * Lists, adds or removes one of the agent's authorized keys (a project extension; the key
     * that logged in needs {@code manage-keys}).
     *
     * @param op builds the request from a fresh id, e.g. {@code id -> Keys.add(id, line)}
     * @return every key after the request
     */
    public dev.rcon.common.msg.KeyList keys(java.util.function.IntFunction<dev.rcon.common.msg.Keys> op)
            throws IOException, InterruptedException {
        return KeyRequest.send(writer, dispatcher, op.apply(nextId.incrementAndGet()));
    }

    /**
     * Gives up on the session at once: closes the socket without a {@code close}, so a thread
     * blocked writing to an agent that stopped reading, or waiting for an answer that never
     * comes, fails now. For an agent that ignores what it is told (a compromised or wedged host).
     */
    public void abandon() {
        closed.set(true);
        Closing.quietly(socket);
    }

    /**
     * Sends {@code close}, waits up to two seconds for the agent's, closes the socket. Idempotent,
     * and bounded: an agent that stopped reading blocks the send (or another thread's write holds
     * the writer), so the send has a thread of its own, which closing the socket releases.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (dispatcher.broken()) {
            Closing.quietly(socket);
            return;
        }
        CompletableFuture<Void> polite = new CompletableFuture<>();
        try {
            threads.start("close-" + target.host() + ":" + target.port(), () -> {
                try {
                    writer.send(new Close());
                    agentClosed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // The agent is gone or slow: the socket is closed below either way.
                } finally {
                    polite.complete(null);
                }
            });
            polite.get(CLOSE_WAIT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Not polite within the wait: the socket goes now, which ends the send.
        } catch (OutOfMemoryError e) {
            // No thread to be polite with (the host's thread limit): the socket goes without a close.
        } finally {
            Closing.quietly(socket);
        }
    }
}
