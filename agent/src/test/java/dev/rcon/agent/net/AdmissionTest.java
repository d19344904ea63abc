package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.testkit.IdleHandshakeFlood;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.wire.Limits;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who gets a handshake slot when there are not enough for everyone, and who gets none at all. */
@Timeout(120)
class AdmissionTest {
    /** Penalties that never start, to watch the caps alone. */
    private static final UnaryOperator<AgentConfig> NO_PENALTIES = c -> c.withPenalty(100_000, Duration.ofMinutes(1));

    @TempDir
    Path dir;

    /** {@code caps} without penalties, and with a deadline no idle handshake of these tests reaches. */
    private static UnaryOperator<AgentConfig> slow(UnaryOperator<AgentConfig> caps) {
        return c -> caps.apply(NO_PENALTIES.apply(c)).withHandshakeTimeout(Duration.ofMinutes(1));
    }
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static List<InetAddress> addresses(String format, int from, int to) throws IOException {
        List<InetAddress> all = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            all.add(InetAddress.getByName(String.format(format, i)));
        }
        return all;
    }

    /**
     * V2: eight addresses each hold sixteen idle handshakes (128, twice max_unauthenticated) and
     * reconnect the moment they are dropped; a console from another network must still get in.
     * Variants: the attackers in one /24 with the default penalties; the same with penalties
     * off, so the caps alone must hold; and the attackers spread over eight /24s, penalties off,
     * so that only the agent-wide cap is ever hit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.%d defaults", "127.0.0.%d no-penalties", "127.0.%d.1 no-penalties"})
    void aConsoleGetsInWhileEightAddressesHoldIdleHandshakes(String variant) throws Exception {
        String[] v = variant.split(" ");
        UnaryOperator<AgentConfig> tweak = v[1].equals("defaults") ? c -> c : NO_PENALTIES;
        try (TestAgent agent = TestAgent.start(dir, tweak);
             IdleHandshakeFlood flood = IdleHandshakeFlood.start(agent.port(), addresses(v[0], 2, 9), 16, 50_000)) {
            assertTrue(flood.awaitConnections(2 * 8 * 16, 60_000), "the attack never got going");
            InetAddress console = InetAddress.getByName("127.1.0.1");
            Map<String, Integer> failures = new TreeMap<>();
            for (int i = 0; i < 100; i++) {
                try (TestClient client = TestClient.connectFrom(console, agent.port(), agent.key())) {
                    assertEquals(16, client.hello().session().length());
                } catch (IOException e) {
                    failures.merge(e.toString(), 1, Integer::sum);
                }
            }
            int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
            assertTrue(failed <= 5, failed + " of 100 tries failed: " + failures);
            assertEquals(0, flood.exhausted(), "the attack let up before the console was done");
            assertTrue(flood.connections() > 2 * 8 * 16, "the attackers were never dropped: " + flood.connections());
        }
    }

    private Socket idleFrom(String from, int port) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    /**
     * Waits for the tasks of this test's agent's first {@code n} connections ({@code conn-1} on,
     * numbered in the order they were accepted), which the agent has already closed: each ran on
     * a kept thread named after it until it returned (bounded by the test's timeout).
     */
    private static void awaitConnectionThreadsEnded(int n) throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.matches("conn-\\d+") && Integer.parseInt(name.substring(5)) <= n) {
                while (t.isAlive() && t.getName().equals(name)) {
                    t.join(10);
                }
            }
        }
    }

    /** The agent closed {@code s}, whether or not it had sent M0 first. */
    private static void assertDropped(Socket s, String which) throws IOException {
        InputStream in = s.getInputStream();
        try {
            int got = in.readNBytes(4 + Limits.M0_LEN + 1).length;
            assertTrue(got <= 4 + Limits.M0_LEN, which + " got more than M0");
        } catch (SocketException e) {
            assertEquals("Connection reset", e.getMessage(), which);
        }
    }

    private static void assertAlive(Socket s, Key key, String which) {
        try (TestClient client = TestClient.over(s, key)) {
            assertEquals(16, client.hello().session().length(), which);
        } catch (IOException e) {
            throw new AssertionError(which + " should still be in its handshake: " + e, e);
        }
    }

    @Test
    void aNewcomerOverItsAddressOrNetworkCapDisplacesTheOldestThere() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, slow(c -> c.withUnauthenticated(64, 16, 32)))) {
            List<Socket> one = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                one.add(idleFrom("127.0.0.2", agent.port()));
            }
            for (int i = 0; i < 84; i++) {
                assertDropped(one.get(i), "handshake " + i + " of 100 from one address");
            }
            assertAlive(one.get(84), agent.key(), "the 16th newest handshake from one address");
            List<Socket> neighbours = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                neighbours.add(idleFrom("127.0.0." + (3 + i % 2), agent.port()));
            }
            for (int i = 0; i < 3; i++) {
                assertDropped(one.get(85 + i), "handshake " + (85 + i) + " of the first address, by its neighbours");
            }
            assertAlive(one.get(88), agent.key(), "the oldest handshake the /24 could keep");
            assertAlive(neighbours.get(0), agent.key(), "the neighbours' oldest handshake");
            agent.close();
            assertTrue(agent.log().matches("(?s).*<4>dropped the handshake with 127\\.0\\.0\\.2:\\d+ after \\d+ ms for a newer one: "
                    + "127\\.0\\.0\\.2 has max_unauthenticated_per_peer=16 handshakes open\n.*"), agent.log());
            assertTrue(agent.log().matches("(?s).*<4>127\\.0\\.0\\.2: 86 more handshakes failed or refused in the last \\d+ ms: "
                    + "86 displaced; last: dropped the handshake with 127\\.0\\.0\\.2:\\d+ after \\d+ ms for a newer one: "
                    + "127\\.0\\.0\\.0/24 has max_unauthenticated_per_network=32 handshakes open\n.*"), agent.log());
        }
    }

    @Test
    void onePeerCannotExhaustTheAgentWideCap() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, slow(c -> c.withUnauthenticated(8, 4, 4)))) {
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                held.add(idleFrom("127.0.0.2", agent.port()));
            }
            for (int i = 0; i < 4; i++) {
                held.add(idleFrom("127.0.1.2", agent.port()));
            }
            // Until the threads of the 26 displaced handshakes have unwound (under load, not at once),
            // a newcomer may meet the cap on handshake threads (twice max) and be refused.
            for (int i = 0; i < 26; i++) {
                assertDropped(held.get(i), "handshake " + i + " from one address, by its own newer ones");
            }
            awaitConnectionThreadsEnded(26);
            // The cap of 8 is now full, 4 from each /24; a console from a third network still gets in,
            // displacing the oldest handshake of the busiest network (a tie, so the older one).
            try (TestClient console = TestClient.connectFrom(InetAddress.getByName("127.0.2.2"), agent.port(), agent.key())) {
                assertEquals(16, console.hello().session().length());
            }
            assertDropped(held.get(26), "the peer's oldest remaining handshake");
            for (int i = 27; i < 34; i++) {
                assertAlive(held.get(i), agent.key(), "handshake " + i);
            }
            agent.close();
            assertTrue(agent.log().matches("(?s).*<4>127\\.0\\.0\\.2: 26 more handshakes failed or refused in the last \\d+ ms: "
                    + "26 displaced; last: dropped the handshake with 127\\.0\\.0\\.2:\\d+ after \\d+ ms for a newer one: "
                    + "max_unauthenticated=8 handshakes are open, the most \\(4\\) from 127\\.0\\.0\\.0/24\n.*"), agent.log());
        }
    }

    @Test
    void aPenalisedAddressIsRefusedAtOnceAndRecoversAfterThePenalty() throws Exception {
        Duration penalty = Duration.ofSeconds(3);
        try (TestAgent agent = TestAgent.start(dir, c -> c.withPenalty(3, penalty))) {
            InetAddress guesser = InetAddress.getByName("127.0.0.7");
            Key wrong = new Key(agent.key().kid(), TestKeys.fresh("x").psk(), "guess");
            for (int i = 0; i < 3; i++) {
                assertThrows(AuthenticationException.class, () -> TestClient.connectFrom(guesser, agent.port(), wrong));
            }
            long penalised = System.nanoTime();
            EOFException refused = assertThrows(EOFException.class,
                    () -> TestClient.connectFrom(guesser, agent.port(), agent.key()));
            assertEquals("connection closed before M0", refused.getMessage(), "refused before the handshake began");
            try (TestClient neighbour = TestClient.connectFrom(InetAddress.getByName("127.0.0.8"), agent.port(), agent.key())) {
                assertEquals(16, neighbour.hello().session().length(), "a penalty is for one address only");
            }
            // The penalty started before the third denial was answered; it is over after this.
            TimeUnit.NANOSECONDS.sleep(penalised + penalty.toNanos() + TimeUnit.MILLISECONDS.toNanos(100) - System.nanoTime());
            try (TestClient back = TestClient.connectFrom(guesser, agent.port(), agent.key())) {
                assertEquals(16, back.hello().session().length());
            }
            agent.close();
            assertTrue(agent.log().matches("(?s).*<4>127\\.0\\.0\\.7: 3 more handshakes failed or refused in the last \\d+ ms: "
                    + "2 denied, 1 refused; 1 penalty started; last: refused 127\\.0\\.0\\.7:\\d+: "
                    + "penalised for 3000 ms after 3 failed handshakes, \\d+ ms to go\n.*"), agent.log());
        }
    }

    @Test
    void theHandshakeDeadlineHoldsWhileTheCommandTimerIsStuck() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withHandshakeTimeout(Duration.ofMillis(300)))) {
            CountDownLatch stuck = new CountDownLatch(1);
            agent.agent().execSettings().timer().execute(() -> {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try (Socket silent = idleFrom("127.0.0.1", agent.port())) {
                InputStream in = silent.getInputStream();
                assertEquals(4 + Limits.M0_LEN, in.readNBytes(4 + Limits.M0_LEN).length);
                assertEquals(-1, in.read(), "the silent peer should be dropped at its deadline");
                assertTrue(agent.log().contains("no handshake within 300 ms"), agent.log());
            } finally {
                stuck.countDown();
            }
        }
    }
}
