package dev.rcon.agent.net;

import dev.rcon.agent.audit.AuditLog;
import dev.rcon.agent.auth.Accounts;
import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.auth.KeyPolicy;
import dev.rcon.agent.keys.KeyStore;
import dev.rcon.agent.exec.CommandScopes;
import dev.rcon.agent.exec.ExecSettings;
import dev.rcon.agent.exec.Launcher;
import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.concurrent.TaskThreads;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.HostPort;
import dev.rcon.common.auth.AgentHandshake;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.io.Closing;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running agent: its listeners, the handshake gate and the open sessions. Each connection
 * gets a thread; before its handshake completes it holds a slot of the {@link HandshakeGate},
 * which bounds those slots, decides who gets one when they run out, and enforces the deadline,
 * so that no peer can tie the agent up. Closing stops accepting, tells each
 * console, ends every process group and returns within a bounded time.
 */
public final class Agent implements AutoCloseable {
    private final AgentConfig config;
    private final Log log;
    private final KeyStore keys;
    private final MessageCodec codec = MessageCodec.shared();
    private final SecureRandom random = new SecureRandom();
    private final AgentHandshake handshake;
    private final ScheduledExecutorService timer;
    private final HandshakeGate gate;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Object admission = new Object();
    private final Listeners listeners;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AgentIdentity identity = AgentIdentity.ofThisHost();
    private final SharedLimits limits;
    private final AuditLog audit;
    private final ExecSettings execSettings;
    /**
     * Each connection and each command took three or four threads of their own (connection,
     * start and stdout, stderr, stdin, exit), whose starts and ends made a fifth to a third of the
     * agent's own CPU for a warm command (bench/README.md). Kept 5 s: a burst's threads, their
     * stacks and pids, are gone soon after.
     */
    private final TaskThreads tasks = new TaskThreads("agent-idle", java.time.Duration.ofSeconds(5));

    public Agent(AgentConfig config, AuthorizedKeys keys, Log log, PrintStream stdout) {
        this(config, keys, log, stdout, Launcher.standard());
    }

    /** @param launcher how commands start (tests wrap the standard one to hold a start up) */
    public Agent(AgentConfig config, AuthorizedKeys keys, Log log, PrintStream stdout, Launcher launcher) {
        this.config = config;
        this.keys = new KeyStore(config.authorizedKeys(), keys, Accounts.system(), log);
        this.log = log;
        this.listeners = new Listeners(log, stdout,
                (kid, from) -> this.keys.current().find(kid, from, java.time.LocalDate::now), identity.host(), this::take);
        // Every run gives the session's own lookup, which applies from= and expires=; a run
        // without one would admit a key those deny, so this default admits none.
        this.handshake = new AgentHandshake(kid -> Optional.empty(), random);
        this.gate = new HandshakeGate(config, log);
        this.timer = startedTimer();
        this.limits = new SharedLimits(config, log);
        this.audit = new AuditLog(config.auditFile(), log::error);
        CommandScopes scopes = config.cgroups() == AgentConfig.Cgroups.OFF
                ? CommandScopes.processGroups("cgroups is \"off\" in the configuration")
                : CommandScopes.detect(log::warn);
        log.info("commands run in " + scopes.describe());
        this.execSettings = new ExecSettings(launcher, scopes, timer, config.killGrace(),
                config.defaultCommandTimeout());
    }

    /**
     * Binds every listen address, printing {@code listening on HOST:PORT} for each once bound,
     * then accepts in the background.
     *
     * @return the bound addresses, with real ports
     */
    public List<InetSocketAddress> start() throws IOException {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (HostPort address : config.listen()) {
            InetSocketAddress at;
            try {
                at = listeners.listen(address);
            } catch (IOException e) {
                close();
                throw e;
            }
            bound.add(at);
            log.info("listening on " + new HostPort(address.host(), at.getPort()) + " with " + keys.current().size()
                    + " authorized keys");
        }
        return bound;
    }

    /** Re-reads the authorized keys (SIGHUP); see {@link KeyStore#reload}. */
    public void reloadKeys() {
        keys.reload();
    }

    KeyStore keys() {
        return keys;
    }

    /** Gives {@code socket} a handshake slot and a thread, unless the gate refuses it. */
    private void take(Socket socket) {
        HandshakeGate.Pending pending = null;
        try {
            pending = gate.admit(socket);
            if (pending != null) {
                HandshakeGate.Pending admitted = pending;
                tasks.start("conn-" + connections.incrementAndGet(), () -> connection(admitted));
            }
        } catch (OutOfMemoryError | RuntimeException e) {
            if (pending != null) {
                pending.finish();
            }
            Closing.quietly(socket);
            log.error("cannot take the connection from " + peer(socket) + ": " + e);
        }
    }

    static String peer(Socket socket) {
        return Listeners.peer(socket.getRemoteSocketAddress());
    }

    /** Nothing but the three handshake frames passes before the handshake succeeds. */
    private void connection(HandshakeGate.Pending pending) {
        Session session;
        try {
            session = authenticate(pending);
        } finally {
            pending.finish();
        }
        if (session != null && admit(session)) {
            // Only now, past the proof and admitted: a command may follow within tens of ms, and its join should not wait.
            execSettings.scopes().expectCommand();
            Thread.currentThread().setName("session-" + session.id());
            session.serve();
        }
    }

    /**
     * Runs the handshake; null when the peer was denied or failed (and is disconnected). A failure
     * is reported to the gate before the peer is answered, so that whoever sees the answer also
     * sees the penalty it may have earned.
     */
    private Session authenticate(HandshakeGate.Pending pending) {
        Socket socket = pending.socket;
        FrameWriter writer = null;
        Session session = null;
        try {
            socket.setTcpNoDelay(true);
            FrameReader reader = new FrameReader(socket.getInputStream(), codec);
            writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream(), 8192), codec);
            java.net.InetAddress from = socket.getInetAddress();
            // Options from the very keys that admitted it: a reload since may have removed the key.
            AtomicReference<AuthorizedKeys> admittedBy = new AtomicReference<>();
            AgentHandshake.Result result = handshake.run(reader, writer, kid -> {
                admittedBy.set(keys.current());
                return admittedBy.get().find(kid, from, java.time.LocalDate::now);
            });
            if (!pending.authenticated()) {
                throw new IOException("handshake completed after it was dropped");
            }
            KeyPolicy policy = admittedBy.get().policy(result.key());
            String sid = result.sessionKeys().sessionId();
            log.info("auth ok peer=" + pending.peer + " key=" + result.key().name() + " session=" + sid);
            audit.append(audit.event("session_opened").put("session", sid).put("key", result.key().name())
                    .put("kid", result.key().kidHex()).put("peer", pending.peer));
            session = new Session(this, socket, reader, writer, sid, pending.peer, policy);
        } catch (AuthenticationException e) {
            audit.append(audit.event("session_denied").put("peer", pending.peer).put("why", e.getMessage()));
            pending.failed(HandshakeLog.Kind.DENIED, "auth denied peer=" + pending.peer + ": " + e.getMessage());
            denyQuietly(writer);
        } catch (IOException | RuntimeException e) {
            pending.failed(HandshakeLog.Kind.BROKEN, "handshake with " + pending.peer + " failed: " + e.getMessage());
        } finally {
            if (session == null) {
                Closing.quietly(socket);
            }
        }
        return session;
    }

    private static void denyQuietly(FrameWriter writer) {
        try {
            AgentHandshake.deny(writer);
        } catch (IOException e) {
            // The peer is gone already; it was being denied anyway.
        }
    }

    /** Under {@link #admission}, so that a close sees every session admitted before it. */
    private boolean admit(Session session) {
        Optional<String> busy;
        synchronized (admission) {
            busy = closed.get() ? Optional.of("the agent is stopping") : limits.admit(session.limited());
            if (busy.isEmpty()) {
                sessions.add(session);
            }
        }
        if (busy.isPresent()) {
            log.warn(session + " refused: busy: " + busy.get());
            session.refuse(new ErrorReply(null, ErrorCode.BUSY, busy.get()));
            return false;
        }
        return true;
    }

    void removed(Session session) {
        if (sessions.remove(session)) {
            limits.sessionEnded(session.limited());
        }
    }

    AgentConfig config() {
        return config;
    }

    Log log() {
        return log;
    }

    /** The agent's kept threads, for connections and every channel's. */
    TaskStarter tasks() {
        return tasks;
    }

    ExecSettings execSettings() {
        return execSettings;
    }

    /** The audit trail every session appends to. */
    public AuditLog audit() {
        return audit;
    }

    /** The slots and budgets every session draws on. */
    SharedLimits limits() {
        return limits;
    }

    /**
     * The agent's one timer thread, made now: a pool makes its thread at the first task, and at
     * the host's thread limit that first task (a command's timeout, a retry) would find none. A
     * cancelled task (each command that ends before its timeout) leaves the queue at once.
     */
    private static ScheduledExecutorService startedTimer() {
        java.util.concurrent.ScheduledThreadPoolExecutor timer =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, Threads.named("agent-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartAllCoreThreads();
        return timer;
    }

    String agentName() {
        return identity.agent();
    }

    String hostname() {
        return identity.host();
    }

    String user() {
        return identity.user();
    }

    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Stops accepting; sends TERM to every command's group, waits up to the kill grace, KILLs
     * what is left and lets the exits go out; then tells each console with {@code close} and
     * closes. Idempotent; returns within the grace period plus a few seconds whatever the
     * consoles and commands do.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listeners.close();
        gate.close();
        List<Session> all;
        synchronized (admission) {
            all = List.copyOf(sessions);
        }
        all.forEach(Session::stopCommands);
        awaitCommands(all, config.killGrace().toNanos());
        all.forEach(Session::killCommands);
        awaitCommands(all, TimeUnit.SECONDS.toNanos(1));
        announceClose(all);
        all.forEach(Session::close);
        execSettings.scopes().close();
        stopTimer();
        tasks.close();
        audit.close();
    }

    /**
     * The timer may still hold the KILL of a command whose session ended just before this
     * shutdown (TERM sent, KILL after the grace): such a session is no longer among ours, so
     * only that KILL ends a command that ignores TERM. It runs at its time, within the grace,
     * instead of being dropped, which left the command running after the agent had gone.
     */
    private void stopTimer() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(config.killGrace().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitCommands(List<Session> all, long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            for (Session session : all) {
                session.awaitCommands(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends close to every console at once, each bounded: a console that does not read is cut off. */
    private static void announceClose(List<Session> all) {
        List<Thread> senders = new ArrayList<>();
        for (Session session : all) {
            senders.add(Threads.start("close-" + session.id(), session::announceClose));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < senders.size(); i++) {
            try {
                senders.get(i).join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (senders.get(i).isAlive()) {
                all.get(i).close();
            }
        }
    }
}
