package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.auth.PingDatagram;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's UDP ping (docs/PROTOCOL.md, "rcon ping") against a real agent: what must get no
 * answer is sent first, then a request that must, so the first datagram back shows that none of
 * the others was answered (the responder takes datagrams in order, on one thread).
 */
@Timeout(30)
class PingResponderTest {
    @TempDir
    Path dir;

    private static byte[] nonce(int n) {
        byte[] nonce = new byte[16];
        nonce[15] = (byte) n;
        return nonce;
    }

    /** Sends {@code unanswered}, then {@code answered}; returns the first datagram that comes back. */
    private static byte[] firstReply(int port, List<byte[]> unanswered, byte[] answered) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket udp = new DatagramSocket(0, loopback)) {
            udp.setSoTimeout(20_000);
            for (byte[] datagram : unanswered) {
                udp.send(new DatagramPacket(datagram, datagram.length, loopback, port));
            }
            udp.send(new DatagramPacket(answered, answered.length, loopback, port));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            udp.receive(reply);
            return Arrays.copyOf(reply.getData(), reply.getLength());
        }
    }

    @Test
    void onlyAWholeRequestWithAGoodMacForAKnownKeyIsAnsweredAndNeverWithMore() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            byte[] good = PingDatagram.request(agent.key(), nonce(1));
            byte[] badMac = good.clone();
            badMac[PingDatagram.REQUEST_LEN - 1] ^= 1;
            List<byte[]> unanswered = List.of(Arrays.copyOf(good, PingDatagram.REQUEST_LEN - 1),
                    Arrays.copyOf(good, PingDatagram.REQUEST_LEN + 1), badMac,
                    PingDatagram.request(TestKeys.fresh("stranger"), nonce(2)));

            byte[] reply = firstReply(agent.port(), unanswered, good);

            assertArrayEquals(nonce(1), PingDatagram.nonceOf(reply, reply.length).orElseThrow());
            assertTrue(reply.length <= PingDatagram.REQUEST_LEN, "a reply of " + reply.length + " bytes");
            assertTrue(PingDatagram.openReply(agent.key(), reply, reply.length).isPresent());
        }
    }

    @Test
    void aPortWhoseUdpSideSomeoneHoldsStillServesCommandsAndSaysWhyPingIsMissing() throws Exception {
        try (DatagramSocket squatter = udpOnAFreeTcpPort()) {
            int port = squatter.getLocalPort();
            try (TestAgent agent = TestAgent.start(dir,
                    c -> c.withListen(List.of(new dev.rcon.agent.config.HostPort("127.0.0.1", port))));
                 TestClient client = agent.connect()) {
                assertEquals(port, agent.port());
                assertTrue(agent.log().contains("no ping on udp 127.0.0.1:" + port + ": "), agent.log());
                assertEquals(0, client.run(dev.rcon.common.msg.Exec.shell(1, "true")).exit().code());
            }
        }
    }

    /**
     * A UDP socket on a port the kernel just gave out for TCP: a UDP port alone may have its TCP
     * side in use by another socket on the box, and the agent then cannot listen at all (a clean
     * CI run failed so). A few tries, for the rare port whose UDP side is taken.
     */
    private static DatagramSocket udpOnAFreeTcpPort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                port = tcp.getLocalPort();
            }
            try {
                return new DatagramSocket(port, loopback);
            } catch (BindException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aKeyOutsideItsFromOrPastItsExpiryGetsNoAnswerAsItWouldGetNoSession() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            Key elsewhere = TestKeys.fresh("elsewhere");
            Key expired = TestKeys.fresh("expired");
            Key probe = TestKeys.fresh("probe");
            Files.writeString(agent.authorizedKeys(), "from=10.0.0.0/8 " + KeyLine.format(elsewhere) + "\n"
                    + "expires=2020-01-01 " + KeyLine.format(expired) + "\n" + KeyLine.format(probe) + "\n");
            agent.agent().reloadKeys();

            byte[] reply = firstReply(agent.port(), List.of(PingDatagram.request(elsewhere, nonce(3)),
                    PingDatagram.request(expired, nonce(4))), PingDatagram.request(probe, nonce(5)));

            assertArrayEquals(nonce(5), PingDatagram.nonceOf(reply, reply.length).orElseThrow(),
                    "the first answer is the probe's: neither restricted key was answered");
        }
    }
}
