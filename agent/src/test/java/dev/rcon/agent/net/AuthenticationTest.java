package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.ClientHandshake;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.Limits;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nothing runs before the HMAC challenge has succeeded. */
@Timeout(60)
class AuthenticationTest {
    @TempDir
    Path dir;
    TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        agent = TestAgent.start(dir);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private void assertDenied(Key key) throws Exception {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), key));
        assertEquals("denied: the agent does not accept key '" + key.name() + "'", e.getMessage());
    }

    @Test
    void wrongPskIsDeniedBeforeAnythingRuns() throws Exception {
        Key thief = new Key(agent.key().kid(), TestKeys.fresh("x").psk(), "tester");
        assertDenied(thief);
        assertTrue(agent.log().contains("<4>auth denied peer=127.0.0.1:"), agent.log());
    }

    @Test
    void unknownKidIsDeniedTheSameWay() throws Exception {
        assertDenied(TestKeys.fresh("stranger"));
    }

    /** Priming the cgroup join (exec/JoinPrimer) is work an unauthenticated peer must not be able to cause. */
    @Test
    void onlyASessionPastTheProofMakesTheAgentPrimeCommandsCgroupJoins() throws Exception {
        dev.rcon.agent.testkit.CgroupChecks.assumeUsable();
        dev.rcon.agent.exec.CommandScopes scopes = agent.agent().execSettings().scopes();
        assertDenied(new Key(agent.key().kid(), TestKeys.fresh("x").psk(), "tester"));
        assertDenied(TestKeys.fresh("stranger"));
        assertEquals(0, scopes.commandsExpected());
        try (TestClient client = agent.connect()) {
            assertEquals(1, scopes.commandsExpected(), "expected before hello was sent");
        }
    }

    /** What the agent sends after M0 to a console presenting {@code key}, up to its close. */
    private byte[] answerTo(Key key) throws Exception {
        return TestClient.deniedAnswer(InetAddress.getLoopbackAddress(), agent.port(), key);
    }


    @Test
    void unknownKidAndWrongPskGetTheSameAnswerThenTheClose() throws Exception {
        byte[] wrongPsk = answerTo(new Key(agent.key().kid(), TestKeys.fresh("x").psk(), "tester"));
        byte[] unknownKid = answerTo(TestKeys.fresh("stranger"));
        assertArrayEquals(new byte[4], wrongPsk, "one empty frame, then the close");
        assertArrayEquals(wrongPsk, unknownKid);
    }

    @Test
    void replayedM1FromAnEarlierConnectionIsDeniedAndNothingRuns() throws Exception {
        Path ran = dir.resolve("ran");
        // A real session whose every byte an eavesdropper records: its M1, then one sealed exec.
        ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            FrameReader reader = new FrameReader(s.getInputStream(), MessageCodec.shared());
            FrameWriter writer = new FrameWriter(tee(recorded, s.getOutputStream()), MessageCodec.shared());
            new ClientHandshake(agent.key(), new SecureRandom()).run(reader, writer);
            assertInstanceOf(Hello.class, reader.receive());
            writer.send(Exec.shell(1, "echo ran >> '" + ran + "'"));
            Message m;
            do {
                m = reader.receive();
            } while (!(m instanceof Exit));
            assertEquals(0, ((Exit) m).code());
        }
        assertEquals("ran\n", Files.readString(ran));
        byte[] bytes = recorded.toByteArray();
        byte[] m1 = Arrays.copyOf(bytes, 4 + Limits.M1_LEN);
        byte[] sealedExec = Arrays.copyOfRange(bytes, m1.length, bytes.length);
        assertTrue(sealedExec.length > 0, "the exec record was recorded");

        // The replay: a fresh M0 nonce makes the old M1 wrong, and the old exec record is never opened.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertEquals(Limits.M0_LEN, in.readInt());
            in.readNBytes(Limits.M0_LEN);
            s.getOutputStream().write(m1);
            assertEquals(0, in.readInt(), "expected the empty denied frame");
            s.getOutputStream().write(sealedExec);
            assertEquals(-1, in.read(), "agent should close after denying");
        }
        assertEquals("ran\n", Files.readString(ran), "the replayed exec ran");
        assertTrue(agent.log().contains("auth denied"), agent.log());
    }

    /** Writes to {@code out} and keeps a copy of every byte in {@code copy}. */
    private static OutputStream tee(ByteArrayOutputStream copy, OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                copy.write(b, off, len);
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }

    @Test
    void wrongM1LengthClosesWithoutAnswer() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            in.readNBytes(4 + Limits.M0_LEN);
            new DataOutputStream(s.getOutputStream()).writeInt(Limits.M1_LEN + 1);
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aSilentPeerIsDroppedAtTheHandshakeDeadline() throws Exception {
        try (TestAgent quick = TestAgent.start(Files.createDirectory(dir.resolve("q")),
                c -> c.withHandshakeTimeout(java.time.Duration.ofMillis(300)));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), quick.port())) {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            in.readNBytes(4 + Limits.M0_LEN);
            assertEquals(-1, in.read(), "agent should drop a peer that never sends M1");
            assertTrue(quick.log().contains("no handshake within 300 ms"), quick.log());
        }
    }

    @Test
    void keyNamesAndSessionIdsAppearInTheLogButNeverThePsk() throws Exception {
        String session;
        try (TestClient client = agent.connect()) {
            session = client.hello().session();
            assertEquals(0, client.run(Exec.shell(1, "true")).exit().code());
        }
        assertDenied(new Key(agent.key().kid(), TestKeys.fresh("x").psk(), "tester"));
        String log = agent.log();
        assertTrue(log.contains("key=tester session=" + session), log);
        byte[] psk = agent.key().psk();
        for (String encoded : List.of(Base64.getEncoder().encodeToString(psk),
                Base64.getEncoder().withoutPadding().encodeToString(psk),
                Base64.getUrlEncoder().withoutPadding().encodeToString(psk), HexFormat.of().formatHex(psk))) {
            assertFalse(log.contains(encoded), "the log holds the psk as " + encoded + ":\n" + log);
        }
    }
}
