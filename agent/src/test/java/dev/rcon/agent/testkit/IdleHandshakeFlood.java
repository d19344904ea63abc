package dev.rcon.agent.testkit;

import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The idle-handshake attacker (V2): from each source address, {@code perSource} connections that
 * take the agent's M0 and never send M1, each reconnecting the moment the agent drops or refuses
 * it. Bounded: each connection loop stops after {@code maxRounds} connections, or at
 * {@link #close}.
 */
public final class IdleHandshakeFlood implements AutoCloseable {
    private final int port;
    private final int maxRounds;
    private final List<Thread> loops = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object progress = new Object();
    private long connections;
    private long greeted;
    private int exhausted;
    private volatile boolean stopped;

    private IdleHandshakeFlood(int port, int maxRounds) {
        this.port = port;
        this.maxRounds = maxRounds;
    }

    /** Starts {@code perSource} loops from each of {@code sources} against 127.0.0.1:{@code port}. */
    public static IdleHandshakeFlood start(int port, List<InetAddress> sources, int perSource, int maxRounds) {
        IdleHandshakeFlood flood = new IdleHandshakeFlood(port, maxRounds);
        for (InetAddress from : sources) {
            for (int i = 0; i < perSource; i++) {
                Thread t = new Thread(() -> flood.loop(from), "flood-" + from.getHostAddress() + "-" + i);
                t.setDaemon(true);
                flood.loops.add(t);
            }
        }
        flood.loops.forEach(Thread::start);
        return flood;
    }

    private void loop(InetAddress from) {
        byte[] sink = new byte[256];
        for (int round = 0; round < maxRounds && !stopped; round++) {
            try (Socket s = new Socket()) {
                open.add(s);
                if (stopped) {
                    return;
                }
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                s.setSoTimeout(120_000);
                counted(false);
                InputStream in = s.getInputStream();
                if (in.readNBytes(4 + Limits.M0_LEN).length == 4 + Limits.M0_LEN) {
                    counted(true);
                }
                while (in.read(sink) >= 0) {
                    // Hold the handshake open, saying nothing, until the agent drops it.
                }
            } catch (IOException e) {
                // Dropped, reset or refused: reconnect at once.
            } finally {
                open.removeIf(Socket::isClosed);
            }
        }
        synchronized (progress) {
            exhausted++;
        }
    }

    private void counted(boolean gotM0) {
        synchronized (progress) {
            if (gotM0) {
                greeted++;
            } else {
                connections++;
            }
            progress.notifyAll();
        }
    }

    /** Waits until the attackers have opened {@code n} connections in all; false on timeout. */
    public boolean awaitConnections(long n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (progress) {
            while (connections < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                progress.wait(left);
            }
            return true;
        }
    }

    /** Connections opened so far. */
    public long connections() {
        synchronized (progress) {
            return connections;
        }
    }

    /** Of those, how many the agent greeted with M0, i.e. admitted to a handshake. */
    public long greeted() {
        synchronized (progress) {
            return greeted;
        }
    }

    /** Loops that stopped because they used up their rounds; 0 means the attack never let up. */
    public int exhausted() {
        synchronized (progress) {
            return exhausted;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // It is being torn down either way.
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : loops) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }
}
