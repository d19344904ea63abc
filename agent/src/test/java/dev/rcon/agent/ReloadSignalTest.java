package dev.rcon.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP to a real agent process, as {@code systemctl reload} sends it. */
@Timeout(60)
class ReloadSignalTest {
    private static final Duration LOGGED = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static void assertDenied(AgentProcess agent, Key key) {
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> TestClient.connect(agent.port(), key));
        assertEquals("denied: the agent does not accept key '" + key.name() + "'", e.getMessage());
    }

    @Test
    void anAgentStartedWithHupIgnoredSaysThatAReloadWillDoNothing() throws Exception {
        Key key = TestKeys.fresh("k");
        try (AgentProcess agent = AgentProcess.startIgnoring("HUP", TestKeys.authorizedKeys(dir, key),
                dir.resolve("agent.log"))) {
            agent.awaitLog("<4>" + Serve.RELOAD_IGNORED + "\n", LOGGED);
            try (TestClient client = TestClient.connect(agent.port(), key)) {
                assertEquals(0, client.run(Exec.shell(1, "true")).exit().code());
            }
        }
    }

    /**
     * Attack V6: the operator removes a key, leaves the file 0644 and sends SIGHUP. The reload
     * fails, and then the removed key must not get in: the agent accepts no key until the file is
     * fixed, while the session already open goes on.
     */
    @Test
    void aRemovedKeyIsRefusedAfterAReloadThatFailsOnALooseModeAndFixingTheModeRestoresTheOthers() throws Exception {
        Key removed = TestKeys.fresh("removed");
        Key kept = TestKeys.fresh("kept");
        Path file = TestKeys.authorizedKeys(dir, removed, kept);
        try (AgentProcess agent = AgentProcess.start(file, dir.resolve("agent.log"));
             TestClient open = TestClient.connect(agent.port(), removed)) {
            TestKeys.authorizedKeys(dir, kept);
            TestKeys.chmod(file, "0644");
            agent.signal("HUP");
            agent.awaitLog("<3>reload of authorized keys failed, accepting no key until a reload succeeds (open sessions"
                    + " continue): " + file + ": refusing a key file that group or others can read or write (mode"
                    + " rw-r--r--); fix it with: chmod 600 " + file + "\n", LOGGED);
            assertDenied(agent, removed);
            assertDenied(agent, kept);
            assertEquals("still here\n", new String(open.run(Exec.shell(1, "echo still here")).stdout()));

            TestKeys.chmod(file, "0600");
            agent.signal("HUP");
            agent.awaitLog("<6>reloaded authorized keys from " + file + ": 1 keys\n", LOGGED);
            try (TestClient client = TestClient.connect(agent.port(), kept)) {
                assertEquals(0, client.run(Exec.shell(1, "true")).exit().code());
            }
            assertDenied(agent, removed);
        }
    }
}
