package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Started;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.FakeAgent;
import dev.rcon.common.auth.PingDatagram;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a compromised host says about itself (an error's message, an exit's signal name) reaches
 * the operator's terminal only as text: output lines pass through raw, as pdsh's do, but the
 * console's own lines about a host are one line each, under that host's name, with every control
 * and format character escaped, as ssh shows a server's messages.
 */
@Timeout(60)
class HostileHostTextTest {
    /** ESC sequences (a window title, clear screen), BEL, a bidi override, and a newline that starts a forged line. */
    private static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[2J\u202e";

    @TempDir
    Path dir;
    final Key fleet = TestKeys.fresh("fleet");

    private static void assertOnlyText(String printed) {
        assertFalse(printed.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f || c == 0x202e),
                "a control or format character from the host reached the terminal: " + printed);
    }

    private ConsoleRun fleetRun(FakeAgent hostile, TestAgent agent) throws Exception {
        ConsoleRun r = ConsoleRun.run(dir, "", "--key", TestKeys.keyFile(dir, fleet).toString(), "-H",
                hostile.address() + ",127.0.0.1:" + agent.port(), "--", "echo hi");
        hostile.await();
        return r;
    }

    @Test
    void aHostsErrorMessageIsOneEscapedLineAndCannotForgeAnotherHostsLines() throws Exception {
        try (TestAgent agent = TestAgent.withKey(dir, fleet)) {
            String other = "127.0.0.1:" + agent.port();
            try (FakeAgent hostile = FakeAgent.start(fleet, peer -> {
                assertInstanceOf(Exec.class, peer.receive());
                peer.send(new ErrorReply(1, ErrorCode.SPAWN_FAILED, "no such program" + HOSTILE + "\n" + other
                        + "!: [exit 3]"));
                peer.closedWithin(10);
            })) {
                ConsoleRun r = fleetRun(hostile, agent);
                assertOnlyText(r.err());
                assertFalse(r.err().contains("\n" + other + "!: "), r.err());
                assertTrue(r.err().contains(hostile.address() + "!: [error: no such program\\u001B]0;pwned\\u0007"), r.err());
            }
        }
    }

    @Test
    void aHostsSignalNameIsPrintedEscaped() throws Exception {
        try (TestAgent agent = TestAgent.withKey(dir, fleet);
             FakeAgent hostile = FakeAgent.start(fleet, peer -> {
                 assertInstanceOf(Exec.class, peer.receive());
                 peer.send(new Started(1, 42));
                 peer.send(new Exit(1, null, "KILL" + HOSTILE + "\nrcon: 2 hosts: 2 ok", false, 1, 0, 0));
                 peer.closedWithin(10);
             })) {
            ConsoleRun r = fleetRun(hostile, agent);
            assertOnlyText(r.err());
            assertTrue(r.err().contains(hostile.address() + "!: [signal KILL\\u001B]0;pwned"), r.err());
            assertEquals(1, r.err().split("\nrcon: ", -1).length - 1, "one summary line: " + r.err());
        }
    }

    @Test
    void aOneShotsErrorFromTheHostIsOneEscapedLine() throws Exception {
        try (FakeAgent hostile = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.send(new ErrorReply(1, ErrorCode.SPAWN_FAILED, "no such program" + HOSTILE + "\nrcon: all is well"));
            peer.closedWithin(10);
        })) {
            ConsoleRun r = ConsoleRun.run(dir, "", "--key", TestKeys.keyFile(dir, fleet).toString(), "--host",
                    hostile.address(), "-n", "--", "true");
            hostile.await();
            assertOnlyText(r.err());
            assertEquals(1, r.err().split("\n", -1).length - 1, "one line: " + r.err());
        }
    }

    /** The UDP ping's reply is under the host's own key, so a compromised host names itself as it likes. */
    @Test
    void aHostnameInAPingReplyIsPrintedEscaped() throws Exception {
        Key hostKey = TestKeys.forHost(fleet, TestAgent.LABEL);
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> {
                try {
                    DatagramPacket request = new DatagramPacket(new byte[PingDatagram.REQUEST_LEN], PingDatagram.REQUEST_LEN);
                    udp.receive(request);
                    byte[] reply = PingDatagram.reply(hostKey, request.getData(), 1, "db1" + HOSTILE + "\nweb9  up");
                    udp.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                } catch (IOException e) {
                    // The socket closed: the test is over.
                }
            }, "hostile-ping-responder");
            responder.setDaemon(true);
            responder.start();
            ConsoleRun r = ConsoleRun.run(dir, "", "--key", TestKeys.keyFile(dir, fleet).toString(), "ping",
                    "127.0.0.1:" + udp.getLocalPort());
            assertEquals(0, r.status(), r.err());
            assertOnlyText(r.out());
            assertEquals(1, r.out().split("\n", -1).length - 1, "one line: " + r.out());
        }
    }
}
