package dev.rcon.agent.net;

import dev.rcon.agent.config.HostPort;
import dev.rcon.common.auth.Key;
import dev.rcon.common.concurrent.Threads;
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
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(address.toSocketAddress(), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        servers.add(server);
        HostPort real = new HostPort(address.host(), server.getLocalPort());
        bindPing(real);
        synchronized (stdout) {
            stdout.println("listening on " + real);
            stdout.flush();
        }
        Threads.start("accept-" + real, () -> acceptLoop(server));
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /**
     * UDP on the same address and port, for {@code rcon ping}. Without it the agent still serves:
     * the port is unprivileged, and any local user holding its UDP side while the agent restarts
     * would otherwise keep the agent down, with nothing to see on TCP.
     */
    private void bindPing(HostPort address) {
        DatagramSocket udp;
        try {
            udp = new DatagramSocket(address.toSocketAddress());
        } catch (IOException e) {
            log.warn("no ping on udp " + address + ": " + e.getMessage() + " (another program holds it?);"
                    + " commands are served, rcon ping gets no answer from this host");
            return;
        }
        PingResponder responder = new PingResponder(udp, pingKeys, hostName);
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
        for (ServerSocket server : servers) {
            try {
                server.close();
            } catch (IOException e) {
                // Closing is all we wanted.
            }
        }
        pingers.forEach(PingResponder::close);
    }
}
