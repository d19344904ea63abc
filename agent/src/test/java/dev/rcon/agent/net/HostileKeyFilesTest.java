package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack V5 against a running agent: someone who is not the agent's user nor root gets their key
 * into the authorized keys by owning the file, by writing its directory, or by a symbolic link,
 * and the operator reloads. The reload refuses the file and the agent then accepts no key at all
 * (V6: failing closed), neither the attacker's nor the operator's.
 */
@Timeout(30)
class HostileKeyFilesTest {
    private static final String FAILED = "<3>reload of authorized keys failed, accepting no key until a reload succeeds"
            + " (open sessions continue): ";

    @TempDir
    Path dir;

    private final Key mallory = TestKeys.fresh("mallory");

    private static void assertDenied(TestAgent agent, Key key) {
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> TestClient.connect(agent.port(), key));
        assertEquals("denied: the agent does not accept key '" + key.name() + "'", e.getMessage());
    }

    /** Reloads as SIGHUP does, then shows that neither the attacker's key nor the agent's own gets in. */
    private static void reloadAndAssertNoKeyGetsIn(TestAgent agent, Key attacker) {
        agent.agent().reloadKeys();
        assertDenied(agent, attacker);
        assertDenied(agent, agent.key());
    }

    @Test
    void aKeysFileOwnedByAnotherUserIsRefusedAtReloadAndNoKeyGetsIn() throws Exception {
        TestKeys.assumeRoot();
        try (TestAgent agent = TestAgent.start(dir)) {
            Path file = TestKeys.authorizedKeys(dir, agent.key(), mallory);
            TestKeys.chown(file, TestKeys.NOBODY);
            reloadAndAssertNoKeyGetsIn(agent, mallory);
            assertTrue(agent.log().contains(FAILED + file + ": refusing a key file owned by uid 65534, who could change"
                    + " it; it must belong to root (the user reading it); fix it with: chown root " + file + "\n"), agent.log());
        }
    }

    @Test
    void aKeysFileInAWorldWritableDirectoryIsRefusedAtReloadAndNoKeyGetsIn() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            Path file = TestKeys.authorizedKeys(dir, agent.key(), mallory);
            TestKeys.chmod(dir, "0777");
            reloadAndAssertNoKeyGetsIn(agent, mallory);
            assertTrue(agent.log().contains(FAILED + file + ": refusing a key file in " + dir
                    + ", which group or others can write (mode rwxrwxrwx), so they could replace the file;"
                    + " fix it with: chmod go-w " + dir + "\n"), agent.log());
        }
    }

    @Test
    void aKeysFileInAStickyDirectoryLikeTmpIsRefusedAtReloadAndNoKeyGetsIn() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            TestKeys.authorizedKeys(dir, agent.key(), mallory);
            TestKeys.chmod(dir, "1777");
            reloadAndAssertNoKeyGetsIn(agent, mallory);
            assertTrue(agent.log().contains("(mode rwxrwxrwt); the sticky bit (as on /tmp) stops them replacing"),
                    agent.log());
        }
    }

    @Test
    void aKeysFileSwappedForASymlinkIsNotFollowedAtReload() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            Path planted = TestKeys.authorizedKeys(Files.createDirectory(dir.resolve("elsewhere")), agent.key(), mallory);
            Path file = agent.authorizedKeys();
            Files.delete(file);
            Files.createSymbolicLink(file, planted);
            reloadAndAssertNoKeyGetsIn(agent, mallory);
            assertTrue(agent.log().contains(FAILED + file + ": refusing a key file that is a symbolic link"), agent.log());
        }
    }

    @Test
    void aFailedReloadKeepsOpenSessionsAndAGoodReloadLetsKeysInAgain() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient open = agent.connect()) {
            Path file = TestKeys.authorizedKeys(dir, agent.key(), mallory);
            TestKeys.chmod(file, "0644");
            reloadAndAssertNoKeyGetsIn(agent, mallory);
            assertEquals(0, open.run(Exec.shell(1, "true")).exit().code());
            TestKeys.authorizedKeys(dir, agent.key());
            agent.agent().reloadKeys();
            assertTrue(agent.log().contains("<6>reloaded authorized keys from " + file + ": 1 keys\n"), agent.log());
            try (TestClient again = agent.connect()) {
                assertEquals(0, again.run(Exec.shell(1, "true")).exit().code());
            }
            assertDenied(agent, mallory);
        }
    }
}
