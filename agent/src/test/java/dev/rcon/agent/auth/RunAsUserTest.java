package dev.rcon.agent.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code user=}: commands of that key run as that user, with nothing of root's left. */
@Timeout(30)
class RunAsUserTest {
    @TempDir
    Path dir;

    private TestAgent agentWith(String options) throws Exception {
        return TestAgent.start(dir).withOptions(options);
    }

    @Test
    void commandsRunWithTheUsersUidGroupsAndHome() throws Exception {
        TestKeys.assumeRoot();
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            TestClient.Run run = client.run(new Exec(1, "id -u; id -g; id -G; echo \"$HOME $USER $LOGNAME\"; pwd", null,
                    null, Map.of("HOME", "/root", "USER", "root"), null, null));
            String home = Files.isDirectory(Path.of("/nonexistent")) ? "/nonexistent" : "/";
            assertEquals("65534\n65534\n65534\n/nonexistent nobody nobody\n" + home + "\n", new String(run.stdout(), UTF_8));
            assertEquals(0, run.exit().code());
        }
    }

    @Test
    void aUserKeyCannotReadWhatOnlyRootMay() throws Exception {
        TestKeys.assumeRoot();
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root only\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            TestClient.Run run = client.run(Exec.shell(1, "cat " + secret));
            assertNotEquals(0, run.exit().code());
            assertEquals("", new String(run.stdout(), UTF_8));
            TestClient.Run onTerminal = client.run(new Exec(2, "id -u", null, null, null, null, null,
                    new Pty("xterm", 80, 24)));
            assertEquals("65534", new String(onTerminal.stdout(), UTF_8).strip());
        }
    }

    @Test
    void aUserKeyMayNotMoveFilesSinceTheAgentWritesThemAsRoot() throws Exception {
        TestKeys.assumeRoot();
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            client.send(new Put(1, dir.resolve("x").toString(), 0L, "0644"));
            assertEquals(new ErrorReply(1, ErrorCode.DENIED, "user=nobody: files move as root, so a key that runs as"
                    + " nobody may not put them"), client.receive());
        }
    }

    @Test
    void anUnknownUserRefusesTheFileNamingTheLine() throws Exception {
        TestKeys.assumeRoot();
        Path file = TestKeys.authorizedKeys(dir);
        Files.writeString(file, "# x\nuser=no-such-user-rcon " + KeyLine.format(TestKeys.fresh("a")) + "\n");
        assertEquals(file + ":2: option 'user=no-such-user-rcon': no such user on this host",
                assertThrows(IllegalArgumentException.class, () -> AuthorizedKeys.load(file)).getMessage());
    }

    @Test
    void anAgentThatIsNotRootRefusesUserAtLoadTime() {
        String line = "user=nobody " + KeyLine.format(TestKeys.fresh("a"));
        assertEquals("f:1: option 'user=nobody' needs an agent running as root, and this one is not (run the default"
                + " unit, not restricted.conf, for user= keys)", assertThrows(IllegalArgumentException.class,
                () -> AuthorizedKeys.parse("f", List.of(line), new Accounts(false))).getMessage());
    }
}
