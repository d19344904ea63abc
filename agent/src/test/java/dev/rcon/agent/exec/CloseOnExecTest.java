package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptors only the agent uses are closed at a command's exec once the agent holds many
 * (CloseOnExec), and nothing a command needs ever is: against a real agent process, filled with
 * sessions as one standing in for a fleet is.
 */
@Timeout(60)
class CloseOnExecTest {
    private static final int O_CLOEXEC = 02000000;
    /** More than enough sessions to pass CloseOnExec.FROM: each holds its socket and three pipes. */
    private static final int MAX_SESSIONS = CloseOnExec.FROM;

    @TempDir
    Path dir;

    @Test
    void aBusyAgentsSessionSocketAndCommandPipesCloseAtExecButTheCommandsOwnEndsStay() throws Exception {
        Key key = TestKeys.fresh("busy");
        List<TestClient> sessions = new ArrayList<>();
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"))) {
            String proc = "/proc/" + agent.process().pid();
            TestClient client = null;
            long pid = 0;
            int session = -1;
            while (session < CloseOnExec.FROM) {
                assertTrue(sessions.size() < MAX_SESSIONS, "no session's socket past " + CloseOnExec.FROM);
                client = TestClient.connect(agent.port(), key);
                sessions.add(client);
                client.send(new Exec(1, "echo $$; exec cat", null, null, null, null, true, null));
                assertInstanceOf(Started.class, client.receive());
                pid = Long.parseLong(new String(assertInstanceOf(Stdout.class, client.receive()).payload(), UTF_8).trim());
                session = sessionSocket(proc, agent, client);
            }
            assertTrue(closesAtExec(proc, session), "the session's socket " + session + " is inheritable");
            for (int stream = 0; stream <= 2; stream++) {
                String pipe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + stream)).toString();
                assertFalse(closesAtExec("/proc/" + pid, stream), "the command's own " + pipe + " as fd " + stream);
                int agents = descriptorOf(proc, pipe);
                assertTrue(closesAtExec(proc, agents), "the agent's end of " + pipe + " (" + agents + ") is inheritable");
            }

            // The command still has all three: what it reads comes back.
            client.send(new Stdin(1, null, "ping\n".getBytes(UTF_8)));
            assertEquals("ping\n", new String(assertInstanceOf(Stdout.class, client.receive()).payload(), UTF_8));
            client.send(new Stdin(1, true, new byte[0]));
            assertEquals(0, client.collect(1).exit().code());

            // A busy agent's terminal still reaches its command (the slave is never marked).
            TestClient.Run tty = client.run(new Exec(2, "tty", null, null, null, null, null, new Pty("xterm", 80, 24)));
            assertTrue(new String(tty.stdout(), UTF_8).startsWith("/dev/pts/"), new String(tty.stdout(), UTF_8));
            assertEquals(0, tty.exit().code());
        } finally {
            for (TestClient c : sessions) {
                c.close();
            }
        }
    }

    /**
     * Connections alone, before any handshake, never make the root agent load a native library: a
     * session's socket is marked only once a command loaded it.
     */
    @Test
    void connectionsAloneNeverLoadTheLibraryButTheFirstCommandPastItDoes() throws Exception {
        Key key = TestKeys.fresh("strangers");
        List<Socket> strangers = new ArrayList<>();
        List<TestClient> sessions = new ArrayList<>();
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"))) {
            String proc = "/proc/" + agent.process().pid();
            // Within the default admission limits: 16 a peer, 32 a network, 64 in all.
            for (int network = 1; network <= 4; network++) {
                for (int i = 0; i < 12; i++) {
                    Socket s = new Socket();
                    strangers.add(s);
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0." + network + ".1"), 0));
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.port()), 10_000);
                }
            }
            // One listener thread accepts in order: a session that got its hello was accepted after them all.
            TestClient first = TestClient.connect(agent.port(), key);
            sessions.add(first);
            int firstSocket = sessionSocket(proc, agent, first);
            assertTrue(firstSocket >= CloseOnExec.FROM, "the strangers left the session's socket at " + firstSocket);
            assertFalse(closesAtExec(proc, firstSocket), "a socket marked before any command");
            assertFalse(Files.readString(Path.of(proc, "maps")).contains("jlinenative"), "JLine's library loaded for connections");

            first.send(new Exec(1, "exec cat", null, null, null, null, true, null));
            assertInstanceOf(Started.class, first.receive());
            assertTrue(Files.readString(Path.of(proc, "maps")).contains("jlinenative"), "a command past FROM loads it");
            TestClient next = TestClient.connect(agent.port(), key);
            sessions.add(next);
            int nextSocket = sessionSocket(proc, agent, next);
            assertTrue(nextSocket >= CloseOnExec.FROM && closesAtExec(proc, nextSocket), "the next session's socket " + nextSocket);
        } finally {
            for (TestClient c : sessions) {
                c.close();
            }
            for (Socket s : strangers) {
                s.close();
            }
        }
    }

    /** An agent with a few sessions keeps its descriptors as the JDK made them, and JLine's library unloaded. */
    @Test
    void anAgentWithFewDescriptorsLeavesThemAlone() throws Exception {
        Key key = TestKeys.fresh("few");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"));
                TestClient client = TestClient.connect(agent.port(), key)) {
            client.send(new Exec(1, "exec cat", null, null, null, null, true, null));
            assertInstanceOf(Started.class, client.receive());
            String proc = "/proc/" + agent.process().pid();
            List<String> marked = new ArrayList<>();
            try (var fds = Files.list(Path.of(proc, "fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    int n = Integer.parseInt(fd.getFileName().toString());
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if ((target.startsWith("socket:") || target.startsWith("pipe:")) && closesAtExec(proc, n)) {
                            marked.add(n + " " + target);
                        }
                    } catch (NoSuchFileException e) {
                        // Closed since the listing (the agent's cgroup primer opens and closes files
                        // after a session authenticates): not a descriptor the agent keeps.
                    }
                }
            }
            assertEquals(List.of(), marked);
            assertFalse(Files.readString(Path.of(proc, "maps")).contains("jlinenative"), "JLine's library is loaded");
        }
    }

    private static boolean closesAtExec(String proc, int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of(proc, "fdinfo", Integer.toString(fd)))) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring(6).trim(), 8) & O_CLOEXEC) != 0;
            }
        }
        throw new IOException("no flags for descriptor " + fd + " of " + proc);
    }

    /** The agent's descriptor for {@code client}'s connection. */
    private static int sessionSocket(String proc, AgentProcess agent, TestClient client) throws IOException {
        return descriptorOf(proc, "socket:[" + socketInode(agent.port(), client.socket().getLocalPort()) + "]");
    }

    /** The descriptor of process {@code proc} ("/proc/PID") for {@code target} ("pipe:[N]", "socket:[N]"). */
    private static int descriptorOf(String proc, String target) throws IOException {
        try (var fds = Files.list(Path.of(proc, "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(target)) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // closed while listed
                }
            }
        }
        throw new AssertionError(proc + " holds no " + target);
    }

    /**
     * The inode of the TCP connection from {@code remotePort} to {@code localPort}; the JDK's
     * sockets are IPv6 ones (tcp6, 127.0.0.1 mapped) wherever the host has IPv6.
     */
    private static String socketInode(int localPort, int remotePort) throws IOException {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    return f[9];
                }
            }
        }
        throw new AssertionError("no connection from port " + remotePort + " to " + localPort);
    }
}
