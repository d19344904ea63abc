package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.PingDatagram;
import dev.rcon.console.testkit.ConsoleRun;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PingTest {
    @TempDir
    Path dir;

    private static int deadUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aGoodKeyIsUpABadKeyAndADeadHostAreDown() throws Exception {
        long beforeStart = System.nanoTime();
        try (TestAgent agent = TestAgent.start(dir)) {
            Path good = TestKeys.keyFile(dir, agent.fleetKey());
            Path bad = TestKeys.keyFile(dir, TestKeys.fresh("bad"));
            String host = "127.0.0.1:" + agent.port();
            int dead = deadUdpPort();

            ConsoleRun up = ConsoleRun.run(dir, "", "ping", host, "--key", good.toString());
            assertEquals(0, up.status(), up.err());
            long upperBound = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - beforeStart);
            Matcher line = Pattern.compile(Pattern.quote(host) + " {2}up +[0-9.]+ ms {2}uptime (\\d\\d):(\\d\\d):(\\d\\d)"
                    + " {2}\\(.+\\)\n").matcher(up.out());
            assertTrue(line.matches(), up.out());
            long uptime = Long.parseLong(line.group(1)) * 3600 + Long.parseLong(line.group(2)) * 60
                    + Long.parseLong(line.group(3));
            // The agent started after beforeStart and answered before now, however slow the machine.
            assertTrue(uptime <= upperBound, "uptime " + uptime + " s but the agent is at most " + upperBound + " s old");

            ConsoleRun denied = ConsoleRun.run(dir, "", "ping", host, "--key", bad.toString(), "--timeout", "300ms", "--tries", "2");
            assertEquals(2, denied.status());
            assertEquals(host + "  down  no answer to 2 tries\n", denied.out());

            ConsoleRun mixed = ConsoleRun.run(dir, "", "ping", host + ",127.0.0.1:" + dead, "--key", good.toString(),
                    "--timeout", "300ms");
            assertEquals(2, mixed.status());
            assertTrue(mixed.out().contains("127.0.0.1:" + dead + "  down  no answer to 3 tries"), mixed.out());
            assertTrue(mixed.out().contains(host + "  up "), mixed.out());
        }
    }

    @Test
    void theReplyIsNeverLargerThanTheRequest() {
        var key = TestKeys.fresh("k");
        byte[] request = PingDatagram.request(key, new byte[16]);
        byte[] reply = PingDatagram.reply(key, request, 12345, "h".repeat(500));
        assertEquals(PingDatagram.REQUEST_LEN, request.length);
        assertTrue(reply.length <= request.length);
        var opened = PingDatagram.openReply(key, reply, reply.length).orElseThrow();
        assertEquals(12345, opened.uptimeSeconds());
        assertEquals(PingDatagram.MAX_HOSTNAME, opened.hostname().length());
        assertTrue(PingDatagram.openReply(TestKeys.fresh("other"), reply, reply.length).isEmpty());
    }
}
