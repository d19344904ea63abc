package dev.rcon.agent.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slots for connections still in their handshake: at most {@code max} in all and {@code perPeer}
 * from one address, so that neither a crowd nor one peer can lock everyone else out. Refusals
 * are logged sparingly, since under attack they come by the thousand.
 */
final class HandshakeGate {
    private final int max;
    private final int perPeer;
    private final Log log;
    private final Map<InetAddress, Integer> byPeer = new HashMap<>();
    private final AtomicLong refusals = new AtomicLong();
    private int total;

    HandshakeGate(int max, int perPeer, Log log) {
        this.max = max;
        this.perPeer = perPeer;
        this.log = log;
    }

    /** Takes a slot for {@code socket}, or closes it and returns false. */
    boolean admit(Socket socket) {
        String full;
        synchronized (this) {
            int mine = byPeer.getOrDefault(socket.getInetAddress(), 0);
            full = mine >= perPeer ? "max_unauthenticated_per_peer=" + perPeer
                    : total >= max ? "max_unauthenticated=" + max : null;
            if (full == null) {
                byPeer.put(socket.getInetAddress(), mine + 1);
                total++;
                return true;
            }
        }
        long n = refusals.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.warn("refused " + Agent.peer(socket) + ": " + full + " connections already in their handshake ("
                    + n + " refused so far)");
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all we wanted.
        }
        return false;
    }

    /** Gives back the slot of a socket whose handshake ended, either way. */
    synchronized void release(Socket socket) {
        byPeer.computeIfPresent(socket.getInetAddress(), (k, n) -> n > 1 ? n - 1 : null);
        total--;
    }
}
