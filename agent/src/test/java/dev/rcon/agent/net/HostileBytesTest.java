package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.wire.Limits;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whatever one peer sends, it loses only its own connection; the agent serves the next. */
@Timeout(60)
class HostileBytesTest {
    @RegisterExtension
    final AgentExtension extension = new AgentExtension();
    TestAgent agent;
    Path dir;

    @BeforeEach
    void start() {
        agent = extension.get();
        dir = extension.dir();
    }

    private Exec touch(int id, String name) {
        return Exec.shell(id, "touch " + dir.resolve(name));
    }

    /** RCON1.md 3: a record that breaks the protocol ends the session unanswered, with no close. */
    private static void assertClosedByAgent(TestClient client) {
        List<String> got = new ArrayList<>();
        assertThrows(IOException.class, () -> {
            while (true) {
                got.add(client.receive().type().wireName());
            }
        });
        assertFalse(got.contains("close"), "the agent answered the broken record: " + got);
    }

    private void assertAgentStillServes() throws Exception {
        try (TestClient good = agent.connect()) {
            assertEquals(0, good.run(Exec.shell(1, "true")).exit().code());
        }
    }

    @Test
    void aRecordWithAFlippedBitClosesTheSessionAndNothingRuns() throws Exception {
        try (TestClient client = agent.connect()) {
            client.sendTampered(touch(1, "flipped"), bytes -> {
                bytes[10] ^= 1;
                return bytes;
            });
            assertClosedByAgent(client);
        }
        assertFalse(Files.exists(dir.resolve("flipped")));
        assertTrue(agent.log().contains("closed on protocol error: record 0 failed authentication"), agent.log());
        assertAgentStillServes();
    }

    @Test
    void recordsSentOutOfOrderCloseTheSessionAndNothingRuns() throws Exception {
        try (TestClient client = agent.connect()) {
            byte[] first = client.seal(touch(1, "first"));
            byte[] second = client.seal(touch(2, "second"));
            client.sendRaw(second);
            client.sendRaw(first);
            assertClosedByAgent(client);
        }
        assertFalse(Files.exists(dir.resolve("first")));
        assertFalse(Files.exists(dir.resolve("second")));
        assertAgentStillServes();
    }

    @Test
    void aReplayedRecordClosesTheSession() throws Exception {
        try (TestClient client = agent.connect()) {
            byte[] record = client.seal(touch(1, "once"));
            client.sendRaw(record);
            client.sendRaw(record);
            assertClosedByAgent(client);
        }
        assertAgentStillServes();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x7FFFFFFF, 0xFFFFFFFF})
    void hugeLengthBeforeAuthenticationClosesTheConnection(int length) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            in.readNBytes(4 + Limits.M0_LEN);
            s.getOutputStream().write(ByteBuffer.allocate(4).putInt(length).array());
            assertEquals(-1, readOrReset(in));
        }
        assertTrue(agent.log().contains("expected M1 of 117 bytes but got length " + Integer.toUnsignedString(length)),
                agent.log());
        assertAgentStillServes();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x7FFFFFFF, 0xFFFFFFFF})
    void hugeLengthAfterAuthenticationClosesTheSession(int length) throws Exception {
        try (TestClient client = agent.connect()) {
            client.sendRaw(ByteBuffer.allocate(4).putInt(length).array());
            assertClosedByAgent(client);
        }
        assertAgentStillServes();
    }

    @Test
    void aRecordShorterThanItsTagClosesTheSession() throws Exception {
        try (TestClient client = agent.connect()) {
            client.sendRaw(ByteBuffer.allocate(8).putInt(4).putInt(0).array());
            assertClosedByAgent(client);
        }
        assertAgentStillServes();
    }

    @Test
    void garbageInsteadOfAHandshakeClosesTheConnection() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            InputStream in = s.getInputStream();
            in.readNBytes(4 + Limits.M0_LEN);
            assertEquals(-1, readOrReset(in));
        }
        assertAgentStillServes();
    }

    @Test
    void eofInTheMiddleOfAFrameClosesOnlyThatConnection() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            s.getInputStream().readNBytes(4 + Limits.M0_LEN);
            s.getOutputStream().write(ByteBuffer.allocate(10).putInt(Limits.M1_LEN).array());
        }
        assertAgentStillServes();
    }

    /**
     * A bad request echoes what was wrong with it; a value as long as a header allows once made
     * an answer longer than any header may be, whose send threw on the session's thread: the
     * session died unanswered, its socket stayed open and its commands ran on (found by
     * WireFuzzTest).
     */
    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"%s\"}", "{\"type\":\"exec\",\"id\":2,\"command\":\"true\",\"cwd\":\"%s\"}",
        "{\"type\":\"signal\",\"id\":1,\"signal\":\"%s\"}"})
    void aBadRequestEchoingAHeaderLongValueIsAnsweredAndTheSessionGoesOn(String template) throws Exception {
        String value = "x".repeat(Limits.MAX_HEADER - template.length() + 2);
        long pid;
        try (TestClient client = agent.connect()) {
            client.socket().setSoTimeout(10_000);
            client.send(new Exec(1, "sleep 60", null, null, null, null, null));
            pid = ((dev.rcon.common.msg.Started) client.receive()).pid();
            client.sendHeader(String.format(template, value));
            dev.rcon.common.msg.ErrorReply error;
            try {
                error = (dev.rcon.common.msg.ErrorReply) client.receive();
            } catch (IOException e) {
                throw new AssertionError(agent.log(), e);
            }
            assertEquals(dev.rcon.common.wire.ErrorCode.BAD_REQUEST, error.code());
            assertTrue(error.message().endsWith("..."), error.message());
            client.send(new dev.rcon.common.msg.Ping(7));
            assertEquals(new dev.rcon.common.msg.Pong(7), client.receive());
        }
        dev.rcon.agent.testkit.Processes.assertGone(pid);
        assertAgentStillServes();
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException | EOFException e) {
            return -1;
        }
    }
}
