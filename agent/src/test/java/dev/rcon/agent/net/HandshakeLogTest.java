package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** V10: a flood of bad handshakes costs the log one line per address per interval, not one each. */
@Timeout(60)
class HandshakeLogTest {
    @TempDir
    Path dir;

    /** Sends an HTTP request where M1 belongs, from {@code from}, and waits for the agent to close. */
    private static void garbage(String from, int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(from), 0)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        } catch (SocketException e) {
            // Reset: the agent closed with the rest of the request unread, as it should.
        }
    }

    private static List<String> linesAbout(String log, String address) {
        return log.lines().filter(l -> l.contains(address + ":")).toList();
    }

    @Test
    void aBurstOfBadHandshakesIsLoggedOnceThenSummarised() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            for (int i = 0; i < 50; i++) {
                garbage("127.0.0.9", agent.port());
            }
            for (int i = 0; i < 3; i++) {
                garbage("127.0.0.10", agent.port());
            }
            agent.close();
            String log = agent.log();
            List<String> nine = linesAbout(log, "127.0.0.9");
            assertEquals(2, nine.size(), log);
            assertTrue(nine.get(0).matches("<4>handshake with 127\\.0\\.0\\.9:\\d+ failed: "
                    + "expected M1 of 117 bytes but got length 1195725856"), nine.get(0));
            assertTrue(nine.get(1).matches("<4>127\\.0\\.0\\.9: 49 more handshakes failed or refused in the last \\d+ ms: "
                    + "4 broken, 45 refused; 1 penalty started; last: refused 127\\.0\\.0\\.9:\\d+: "
                    + "penalised for 30000 ms after 5 failed handshakes, \\d+ ms to go"), nine.get(1));
            List<String> ten = linesAbout(log, "127.0.0.10");
            assertEquals(2, ten.size(), log);
            assertTrue(ten.get(1).matches("<4>127\\.0\\.0\\.10: 2 more handshakes failed or refused in the last \\d+ ms: "
                    + "2 broken; last: handshake with 127\\.0\\.0\\.10:\\d+ failed: .*"), ten.get(1));
        }
    }

    @Test
    void summariesAreWrittenEveryIntervalWhileTheAgentRuns() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withHandshakeLogInterval(Duration.ofSeconds(1)))) {
            for (int i = 0; i < 10; i++) {
                garbage("127.0.0.9", agent.port());
            }
            String log = agent.awaitLog("<4>127.0.0.9: ");
            assertTrue(log.matches("(?s).*<4>127\\.0\\.0\\.9: \\d+ more handshakes failed or refused in the last \\d+ ms: .*"), log);
        }
    }

    @Test
    void addressesBeyondTheTrackedOnesAreCountedTogether() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HandshakeLog events = new HandshakeLog(new Log(new PrintStream(out, true, StandardCharsets.UTF_8)), 2);
        for (int i = 1; i <= 5; i++) {
            for (int j = 0; j < 3; j++) {
                events.report("192.0.2." + i, HandshakeLog.Kind.DENIED, "auth denied peer=192.0.2." + i + ":" + j);
            }
        }
        events.flush();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals("<4>auth denied peer=192.0.2.1:0", lines.get(0));
        assertEquals("<4>auth denied peer=192.0.2.2:0", lines.get(1));
        assertTrue(lines.get(2).matches("<4>192\\.0\\.2\\.1: 2 more handshakes failed or refused in the last \\d+ ms: "
                + "2 denied; last: auth denied peer=192\\.0\\.2\\.1:2"), lines.get(2));
        assertTrue(lines.get(4).matches("<4>addresses not tracked one by one: 9 more handshakes failed or refused "
                + "in the last \\d+ ms: 9 denied; last: auth denied peer=192\\.0\\.2\\.5:2"), lines.get(4));
    }
}
