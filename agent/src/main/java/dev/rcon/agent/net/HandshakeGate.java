package dev.rcon.agent.net;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.net.HandshakeLog.Kind;
import dev.rcon.common.io.Closing;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Admission before authentication, in the spirit of sshd's MaxStartups and PerSourcePenalties.
 * Each connection in its handshake holds a slot counted against its address, its network (see
 * {@link Source}) and the whole agent. A newcomer over a cap is not turned away: it displaces the
 * oldest handshake of its address or network, or, when the agent is full, the oldest of the
 * network holding the most. So idle handshakes from one place mostly displace each other, and a
 * console from anywhere else always gets a slot. Failures (denied, broken, too slow, displaced)
 * count towards a penalty that refuses the address outright for a while.
 *
 * <p>Deadlines run on the gate's own thread, which only closes sockets and logs, so that no
 * command's timeout, kill or /proc scan can hold them up. Handshake threads are bounded: at most
 * twice {@code max_unauthenticated} exist at once, the displaced ones still unwinding.
 */
final class HandshakeGate implements AutoCloseable {
    private final int max;
    private final int perPeer;
    private final int perNetwork;
    private final long timeoutMillis;
    private final String penaltyRule;
    private final Penalties penalties;
    private final HandshakeLog events;
    private final ScheduledThreadPoolExecutor clock;
    private final Map<String, ArrayDeque<Pending>> byAddress = new HashMap<>();
    private final Map<String, ArrayDeque<Pending>> byNetwork = new HashMap<>();
    private int open;
    private int threads;
    private volatile boolean closed;

    HandshakeGate(AgentConfig config, Log log) {
        max = config.maxUnauthenticated();
        perPeer = config.maxUnauthenticatedPerPeer();
        perNetwork = config.maxUnauthenticatedPerNetwork();
        timeoutMillis = config.handshakeTimeout().toMillis();
        penaltyRule = config.penalty().toMillis() + " ms after " + config.penaltyFailures() + " failed handshakes";
        penalties = new Penalties(config.penaltyFailures(), config.penalty().toNanos(), config.maxTrackedSources());
        events = new HandshakeLog(log, config.maxTrackedSources());
        clock = new ScheduledThreadPoolExecutor(1, dev.rcon.common.concurrent.Threads.named("handshake-deadlines"));
        clock.setRemoveOnCancelPolicy(true);
        long every = config.handshakeLogInterval().toMillis();
        clock.scheduleAtFixedRate(events::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** Why a newcomer displaces {@code victim}. */
    private record Displacement(Pending victim, String why) {
    }

    /** A slot for {@code socket}'s handshake, or null when it was refused (and is closed). */
    Pending admit(Socket socket) {
        Source source = Source.of(socket.getInetAddress());
        long now = System.nanoTime();
        long penalised = penalties.remaining(source.address(), now);
        Pending admitted = null;
        Displacement displaced = null;
        String refusal = null;
        synchronized (this) {
            if (closed) {
                refusal = "closing";
            } else if (penalised > 0) {
                refusal = "penalised for " + penaltyRule + ", " + TimeUnit.NANOSECONDS.toMillis(penalised) + " ms to go";
            } else if (threads >= 2 * max) {
                refusal = threads + " handshake threads still running (twice max_unauthenticated=" + max + ")";
            } else {
                displaced = displacement(source);
                if (displaced != null) {
                    remove(displaced.victim());
                }
                admitted = add(socket, source, now);
            }
        }
        if (refusal != null && !closed) {
            events.report(source.address(), Kind.REFUSED, "refused " + Agent.peer(socket) + ": " + refusal);
        }
        if (refusal != null) {
            Closing.quietly(socket);
            return null;
        }
        if (displaced != null) {
            Pending v = displaced.victim();
            drop(v, Kind.DISPLACED, "dropped the handshake with " + v.peer + " after "
                    + TimeUnit.NANOSECONDS.toMillis(now - v.since) + " ms for a newer one: " + displaced.why());
        }
        return admitted;
    }

    /** Whom a newcomer from {@code source} displaces, or null when there is room. */
    private Displacement displacement(Source source) {
        ArrayDeque<Pending> mine = byAddress.get(source.address());
        if (mine != null && mine.size() >= perPeer) {
            return new Displacement(mine.peekFirst(), source.address() + " has max_unauthenticated_per_peer="
                    + perPeer + " handshakes open");
        }
        ArrayDeque<Pending> network = byNetwork.get(source.network());
        if (network != null && network.size() >= perNetwork) {
            return new Displacement(network.peekFirst(), source.network() + " has max_unauthenticated_per_network="
                    + perNetwork + " handshakes open");
        }
        if (open < max) {
            return null;
        }
        ArrayDeque<Pending> largest = null;
        for (ArrayDeque<Pending> q : byNetwork.values()) {
            if (largest == null || q.size() > largest.size()
                    || q.size() == largest.size() && q.peekFirst().since - largest.peekFirst().since < 0) {
                largest = q;
            }
        }
        Pending oldest = largest.peekFirst();
        return new Displacement(oldest, "max_unauthenticated=" + max + " handshakes are open, the most ("
                + largest.size() + ") from " + oldest.source.network());
    }

    private Pending add(Socket socket, Source source, long now) {
        Pending p = new Pending(socket, source, now);
        byAddress.computeIfAbsent(source.address(), k -> new ArrayDeque<>()).addLast(p);
        byNetwork.computeIfAbsent(source.network(), k -> new ArrayDeque<>()).addLast(p);
        open++;
        threads++;
        p.deadline = clock.schedule(() -> expire(p), timeoutMillis, TimeUnit.MILLISECONDS);
        return p;
    }

    /** Takes {@code p} out of the counts; its thread still holds a thread slot until it finishes. */
    private void remove(Pending p) {
        p.counted = false;
        open--;
        removeFrom(byAddress, p.source.address(), p);
        removeFrom(byNetwork, p.source.network(), p);
    }

    private static void removeFrom(Map<String, ArrayDeque<Pending>> map, String key, Pending p) {
        ArrayDeque<Pending> q = map.get(key);
        q.remove(p);
        if (q.isEmpty()) {
            map.remove(key);
        }
    }

    private void expire(Pending p) {
        synchronized (this) {
            if (!p.counted) {
                return;
            }
            remove(p);
        }
        drop(p, Kind.TIMED_OUT, "handshake with " + p.peer + " failed: no handshake within " + timeoutMillis + " ms");
    }

    /** Ends a handshake the gate took out of the counts: blame its address, then close it. */
    private void drop(Pending p, Kind kind, String line) {
        p.deadline.cancel(false);
        try {
            failed(p.source, kind, line);
        } finally {
            Closing.quietly(p.socket);
        }
    }

    private void failed(Source source, Kind kind, String line) {
        boolean penalty = penalties.failed(source.address(), System.nanoTime());
        events.report(source.address(), kind, line);
        if (penalty) {
            events.report(source.address(), Kind.PENALISED, "refusing " + source.address() + " for " + penaltyRule);
        }
    }

    /** Closes every connection still in its handshake, stops the deadlines and flushes the log's counts. */
    @Override
    public void close() {
        List<Pending> all = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            byAddress.values().forEach(all::addAll);
            all.forEach(this::remove);
        }
        all.forEach(p -> Closing.quietly(p.socket));
        clock.shutdownNow();
        events.flush();
    }

    /**
     * One connection's slot, from accept until its handshake ends either way. Exactly one of the
     * handshake's thread and the gate (displacing it, or at its deadline) takes it out of the
     * counts; only that one logs and blames.
     */
    final class Pending {
        final Socket socket;
        final String peer;
        private final Source source;
        private final long since;
        private ScheduledFuture<?> deadline;
        private boolean counted = true;
        private boolean finished;

        private Pending(Socket socket, Source source, long since) {
            this.socket = socket;
            this.peer = Agent.peer(socket);
            this.source = source;
            this.since = since;
        }

        /** True when the handshake may go on to a session; false when the gate dropped it first. */
        boolean authenticated() {
            synchronized (HandshakeGate.this) {
                if (!counted) {
                    return false;
                }
                remove(this);
            }
            deadline.cancel(false);
            return true;
        }

        /**
         * Blames the handshake's address for its failure and logs {@code line} (or counts it), unless
         * the gate dropped it first. Called before the connection is answered or closed, so that a
         * peer who sees the end of its handshake also sees its consequences.
         */
        void failed(Kind kind, String line) {
            synchronized (HandshakeGate.this) {
                if (!counted) {
                    return;
                }
                remove(this);
            }
            deadline.cancel(false);
            HandshakeGate.this.failed(source, kind, line);
        }

        /** The handshake's thread is done; a slot still counted is given back without blame. */
        void finish() {
            synchronized (HandshakeGate.this) {
                if (counted) {
                    remove(this);
                }
                if (!finished) {
                    finished = true;
                    threads--;
                }
            }
            deadline.cancel(false);
        }
    }
}
