package dev.rcon.agent.net;

import dev.rcon.agent.config.HostPort;
import dev.rcon.agent.exec.CloseOnExec;
import dev.rcon.common.auth.Key;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.io.Closing;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * What the agent listens with: for each listen address a TCP socket, whose accept loop hands
 * every connection on, and beside it the UDP ping on the same address and port. Closing stops
 * both; what was accepted is the agent's.
 */
final class Listeners implements AutoCloseable {
    /**
     * The listen queue: connections the kernel holds until accepted (sshd's SOMAXCONN, capped by
     * net.core.somaxconn), so that a burst of a fleet run is not turned into dropped SYNs.
     */
    private static final int BACKLOG = 4096;

    /**
     * Ports tried for a listen port of 0 before the agent settles for one without ping: enough
     * that only a host whose ephemeral ports are nearly all held on UDP runs out, few enough that
     * the agent holds at most this many sockets for a moment.
     */
    private static final int EPHEMERAL_ATTEMPTS = 32;

    private final Log log;
    private final PrintStream stdout;
    private final BiFunction<byte[], InetAddress, Optional<Key>> pingKeys;
    private final String hostName;
    private final Consumer<Socket> accepted;
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<PingResponder> pingers = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param pingKeys the keys a ping may prove it holds
     * @param hostName what a ping is answered with
     * @param accepted takes every accepted connection, on the listener's thread; must not block
     */
    Listeners(Log log, PrintStream stdout, BiFunction<byte[], InetAddress, Optional<Key>> pingKeys, String hostName,
              Consumer<Socket> accepted) {
        this.log = log;
        this.stdout = stdout;
        this.pingKeys = pingKeys;
        this.hostName = hostName;
        this.accepted = accepted;
    }

    /**
     * Binds {@code address}, prints {@code listening on HOST:PORT} once bound, then accepts in the
     * background.
     *
     * @return the bound address, with the real port
     */
    InetSocketAddress listen(HostPort address) throws IOException {
        Bound bound = address.port() == 0 ? bindEphemeral(address) : bind(address);
        ServerSocket server = bound.tcp();
        servers.add(server);
        HostPort real = new HostPort(address.host(), server.getLocalPort());
        startPing(real, bound);
        synchronized (stdout) {
            stdout.println("listening on " + real);
            stdout.flush();
        }
        Threads.start("accept-" + real, () -> acceptLoop(server));
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** A TCP listener and, on its port, either the UDP socket for ping or why there is none. */
    private record Bound(ServerSocket tcp, DatagramSocket udp, IOException udpFailure) {
    }

    /** TCP on {@code address}, then UDP on the port it got. */
    private static Bound bind(HostPort address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(address.toSocketAddress(), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        try {
            return new Bound(server, new DatagramSocket(
                    new HostPort(address.host(), server.getLocalPort()).toSocketAddress()), null);
        } catch (IOException e) {
            return new Bound(server, null, e);
        }
    }

    /**
     * For port 0, a port whose UDP side is free too: the kernel picks the TCP port without looking
     * at UDP, so another program's UDP socket would cost the agent its ping. A rejected port stays
     * bound until the end so that the kernel's next pick is another one. After
     * {@link #EPHEMERAL_ATTEMPTS}, or when the kernel has no port left, the last pick stands.
     */
    private static Bound bindEphemeral(HostPort address) throws IOException {
        List<ServerSocket> rejected = new ArrayList<>();
        Bound bound = bind(address);
        try {
            while (bound.udp() == null && rejected.size() < EPHEMERAL_ATTEMPTS - 1) {
                Bound next;
                try {
                    next = bind(address);
                } catch (IOException e) {
                    break; // no port left but those held here, or no descriptor: the last pick stands
                }
                rejected.add(bound.tcp());
                bound = next;
            }
            return bound;
        } finally {
            rejected.forEach(Closing::quietly);
        }
    }

    /**
     * The UDP ping, for {@code rcon ping}. Without it the agent still serves: the port is
     * unprivileged, and any local user holding its UDP side while the agent restarts would
     * otherwise keep the agent down, with nothing to see on TCP.
     */
    private void startPing(HostPort address, Bound bound) {
        if (bound.udp() == null) {
            log.warn("no ping on udp " + address + ": " + bound.udpFailure().getMessage()
                    + " (another program holds it?); commands are served, rcon ping gets no answer from this host");
            return;
        }
        PingResponder responder = new PingResponder(bound.udp(), pingKeys, hostName);
        pingers.add(responder);
        responder.start(address.toString());
    }

    /**
     * Accepts until closed. A failed accept (out of file descriptors, say) costs that one
     * connection, never the listener.
     */
    private void acceptLoop(ServerSocket server) {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed.get() || server.isClosed()) {
                    return;
                }
                log.error("accept on " + peer(server.getLocalSocketAddress()) + " failed: " + e.getMessage());
                backOff();
                continue;
            }
            CloseOnExec.mark(socket);
            accepted.accept(socket);
        }
    }

    /** After a failed accept, so that a persistent failure does not spin a core. */
    private static void backOff() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code HOST:PORT} of a peer or a local address, for the log. */
    static String peer(java.net.SocketAddress address) {
        return String.valueOf(address).replaceFirst("^/", "");
    }

    /** Stops listening for connections and pings. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        servers.forEach(Closing::quietly);
        pingers.forEach(PingResponder::close);
    }
}
