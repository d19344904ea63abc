package dev.rcon.console.testkit;

import dev.rcon.common.concurrent.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of an agent, through which a test acts between a console's
 * steps: before each connection is passed on (another operator changing the keys), and before
 * each chunk either side sends is passed on (a change made before a request arrives, an answer
 * lost with the connection). The label a
 * console derives is still {@code 127.0.0.1}; only the port differs.
 */
public final class Relay implements AutoCloseable {
    /** Runs before connection {@code n} (from 1) reaches the agent. */
    @FunctionalInterface
    public interface BeforeConnection {
        void run(int n) throws Exception;
    }

    /**
     * Asked before each chunk goes on; false cuts that connection.
     *
     * @param connection its number, from 1
     * @param fromAgent which way the chunk goes
     * @param offset how many bytes went that way on that connection before it
     */
    @FunctionalInterface
    public interface Gate {
        boolean pass(int connection, boolean fromAgent, long offset) throws Exception;
    }

    private final ServerSocket server;
    private final int agentPort;
    private final BeforeConnection before;
    private final Gate gate;
    private final AtomicInteger connections = new AtomicInteger();

    private Relay(int agentPort, BeforeConnection before, Gate gate) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.agentPort = agentPort;
        this.before = before;
        this.gate = gate;
        Threads.start("relay-accept", this::accept);
    }

    /** A relay to the agent on {@code agentPort}. */
    public static Relay to(int agentPort, BeforeConnection before, Gate gate) throws IOException {
        return new Relay(agentPort, before, gate);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket console = server.accept();
                int n = connections.incrementAndGet();
                Threads.start("relay-" + n, () -> relay(n, console));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(int n, Socket console) {
        try (console; Socket agent = connectAfter(n)) {
            Thread up = Threads.start("relay-up-" + n, () -> pump(console, agent, n, false));
            pump(agent, console, n, true);
            up.join();
        } catch (Exception e) {
            // The console sees its connection end; what the test checks is the agent's state.
        }
    }

    private Socket connectAfter(int n) throws Exception {
        before.run(n);
        return new Socket(InetAddress.getLoopbackAddress(), agentPort);
    }

    private void pump(Socket from, Socket to, int n, boolean fromAgent) {
        byte[] buffer = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            long offset = 0;
            while ((read = in.read(buffer)) > 0) {
                if (!gate.pass(n, fromAgent, offset)) {
                    break;
                }
                out.write(buffer, 0, read);
                out.flush();
                offset += read;
            }
        } catch (Exception e) {
            // One side went away: closing both below ends the other pump too.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
