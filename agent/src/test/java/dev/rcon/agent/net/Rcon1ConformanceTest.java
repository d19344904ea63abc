package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Normative statements of RCON1.md checked against the agent, one test each. */
@Timeout(60)
class Rcon1ConformanceTest {
    @TempDir
    Path dir;

    /**
     * RCON1.md 4.1: "a window that would make it larger [than 2^31-1] is a protocol error": 2^31,
     * and a grant past what a long holds, which was answered bad_request and the session went on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "99999999999999999999"})
    void aWindowOfTwoToTheThirtyOneBytesForAChannelInFlightEndsTheSession(String bytes) throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(new Exec(1, "sleep 30", null, null, null, null, true));
            assertInstanceOf(Started.class, client.receive());
            client.sendHeader("{\"type\":\"window\",\"id\":1,\"bytes\":" + bytes + "}");
            client.send(new Ping(2));
            assertThrows(IOException.class, () -> {
                while (true) {
                    Message m = client.receive();
                    assertFalse(m instanceof Pong, "the session went on after a window beyond 2^31-1; got " + m);
                }
            });
            assertTrue(agent.log().contains("closed on protocol error: expected a window of at most 2147483647"),
                    agent.log());
        }
    }

    /**
     * RCON1.md 4 gives an {@code error} no way to say it is not its request's end, and the
     * console takes one as the end. A Ctrl-C that crossed a command's end (its id already free,
     * its {@code exit} still held behind other output) was answered {@code not_found} with the
     * command's id, and the console reported that error instead of the command's status. Now a
     * signal for a command whose exit is on its way is dropped, as a resize is.
     */
    @Test
    void aSignalThatCrossesACommandsExitGetsNoErrorForThatCommand() throws Exception {
        try (TestAgent agent = TestAgent.start(dir);
             TestClient client = TestClient.over(smallReceiveBuffer(agent.port()), agent.key())) {
            client.send(new Exec(9, "cat >/dev/null; exit 3", null, null, null, null, true));
            assertInstanceOf(Started.class, client.receive());
            // Output the console does not read yet fills the socket, so the session's writer blocks.
            for (int id = 1; id <= 3; id++) {
                client.send(Exec.shell(id, "head -c 8000000 /dev/zero"));
            }
            Thread.sleep(1000);
            client.send(new Stdin(9, true, new byte[0]));
            assertTrue(agent.awaitLog("; exit 3': exit 3 in").contains("; exit 3': exit 3 in"));
            client.send(new Signal(9, SignalName.INT));
            // Once its exit went out, a signal for it finds nothing: not_found after the exit is
            // what the spec allows (had the socket not filled, the exit would be gone already).
            boolean exited = false;
            int exits = 0;
            while (exits < 4) {
                Message m = client.receive();
                if (m instanceof ErrorReply error) {
                    assertFalse(!exited && error.id() != null && error.id() == 9,
                            "an error for the ending command before its exit: " + error);
                }
                if (m instanceof dev.rcon.common.msg.Exit exit) {
                    exited |= exit.id() == 9;
                    exits++;
                }
            }
        }
    }

    private static java.net.Socket smallReceiveBuffer(int port) throws IOException {
        java.net.Socket socket = new java.net.Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    /** RCON1.md 4.1: "window for an id that is not in flight is ignored", whatever its size. */
    @Test
    void aHugeWindowForAnIdNotInFlightIsIgnored() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.sendHeader("{\"type\":\"window\",\"id\":99,\"bytes\":2147483648}");
            client.send(new Ping(3));
            assertEquals(new Pong(3), client.receive());
        }
    }

    /**
     * A console's mistake is never the agent's: a signal, a resize or stdin for a put (no command
     * runs under that id) is answered as a bad request naming it, not as "internal" with a bug
     * logged.
     */
    @Test
    void aSignalOrStdinForAPutIsTheConsolesMistakeNotAnInternalError() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(new Put(1, dir.resolve("target").toString(), 10L, "0644"));
            client.send(new Signal(1, SignalName.INT));
            ErrorReply signal = (ErrorReply) client.receive();
            client.send(new Resize(1, 100, 40));
            ErrorReply resize = (ErrorReply) client.receive();
            client.send(Stdin.bytes(1, new byte[3]));
            ErrorReply stdin = (ErrorReply) client.receive();
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, "id 1 is a put, which takes no signal"), signal);
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, "id 1 is a put, which takes no resize"), resize);
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, "id 1 is a put, which takes no stdin"), stdin);
            assertFalse(agent.log().contains("failed: java.lang.IllegalArgumentException"), agent.log());
            client.send(new Ping(4));
            assertEquals(new Pong(4), client.receive());
        }
    }

    /**
     * RCON1.md 3: "The agent sends the first record (hello)"; 4: "Agent -> console, once, first".
     * A busy agent refuses the session after its hello, whose max_channels 0 says that no
     * request can follow: then an error about the session (id null), then close.
     */
    @Test
    void aBusyAgentStillSendsHelloFirst() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withLimits(1, 4, 8)); TestClient first = agent.connect();
             TestClient second = agent.connect()) {
            assertEquals(0, second.hello().maxChannels());
            assertEquals(new ErrorReply(null, ErrorCode.BUSY, "agent has max_sessions=1 sessions open"), second.receive());
            assertInstanceOf(dev.rcon.common.msg.Close.class, second.receive());
        }
    }
}
