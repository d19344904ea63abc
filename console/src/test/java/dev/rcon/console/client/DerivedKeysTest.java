package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys derived per host (RCON1.md 5.1): whoever takes one host's authorized keys learns a key
 * for that host alone. Host "127.0.0.1" and host "localhost" are the same machine here, but two
 * labels, and so two hosts as far as keys go.
 */
@Timeout(30)
class DerivedKeysTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aStolenAgentLineDoesNotOpenAnotherHost() throws Exception {
        Key fleet = TestKeys.fresh("ops");
        try (TestAgent first = TestAgent.enrolledAs(dir, fleet, "127.0.0.1");
             TestAgent second = TestAgent.enrolledAs(dir, fleet, "localhost")) {
            Key stolen = first.key();
            assertThrows(AuthenticationException.class, () -> TestClient.connect(second.port(), stolen));
            try (RconClient owner = RconClient.connect(Target.parse("localhost:" + second.port()), fleet, TIMEOUT)) {
                assertEquals("localhost", Target.parse("localhost:" + second.port()).hostLabel().text());
                assertTrue(owner.hello().session().length() == 16);
            }
        }
    }

    @Test
    void anAgentHoldingOneHostsLineCannotPassForAnother() throws Exception {
        Key fleet = TestKeys.fresh("ops");
        try (TestAgent impostor = TestAgent.enrolledAs(dir, fleet, "127.0.0.1")) {
            ConnectFailure e = assertThrows(ConnectFailure.class,
                    () -> RconClient.connect(Target.parse("localhost:" + impostor.port()), fleet, TIMEOUT));
            assertEquals(ConnectFailure.Reason.DENIED, e.reason());
            assertTrue(e.detail().contains("(label localhost, kid " + TestKeys.forHost(fleet, "localhost").kidHex() + ")"),
                    e.detail());
        }
    }

    /**
     * RCON1.md 5.1: an IPv6 literal's label is its RFC 5952 form, which writes an IPv4-mapped
     * address as ::ffff: and the IPv4 address (section 5). The JDK parses one to an IPv4 address,
     * and the label was the bare "127.0.0.1": a host enrolled with the spec's key was denied.
     */
    @Test
    void anIpv4MappedAddressIsLabelledInItsRfc5952FormAndLogsIn() throws Exception {
        Key fleet = TestKeys.fresh("ops");
        Key mapped = dev.rcon.common.auth.HostKeys.derive(fleet, new dev.rcon.common.auth.HostLabel("::ffff:127.0.0.1"));
        try (TestAgent agent = TestAgent.enrolledAs(dir, TestKeys.fresh("unrelated"), "127.0.0.1")) {
            Files.writeString(agent.authorizedKeys(), dev.rcon.common.auth.KeyLine.format(mapped) + "\n");
            agent.agent().reloadKeys();
            Target target = Target.parse("[::FFFF:7f00:1]:" + agent.port());
            try (RconClient client = RconClient.connect(target, fleet, TIMEOUT)) {
                assertEquals(16, client.hello().session().length());
            }
            assertEquals("::ffff:127.0.0.1", target.hostLabel().text());
        }
    }

    @Test
    void theLinesRconAuthorizePrintsLogIn() throws Exception {
        Key fleet = TestKeys.fresh("ops");
        Path keyFile = TestKeys.keyFile(dir, fleet);
        ConsoleRun printed = ConsoleRun.run(dir, "", "authorize", "--key", keyFile.toString(), "127.0.0.1,localhost");
        assertEquals(0, printed.status(), printed.err());
        String[] lines = printed.out().split("\n");
        assertEquals(2, lines.length, printed.out());
        assertEquals(dev.rcon.common.auth.KeyLine.format(TestKeys.forHost(fleet, "localhost")), lines[1]);
        try (TestAgent agent = TestAgent.enrolledAs(dir, TestKeys.fresh("unrelated"), "127.0.0.1")) {
            Files.writeString(agent.authorizedKeys(), lines[0] + "\n");
            agent.agent().reloadKeys();
            ConsoleRun run = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + agent.port(), "--key", keyFile.toString(),
                    "--", "echo", "enrolled");
            assertEquals(0, run.status(), run.err());
            assertEquals("enrolled\n", run.out());
        }
        ConsoleRun json = ConsoleRun.run(dir, "", "authorize", "--json", "--key", keyFile.toString(), "WEB01.example.com.");
        assertTrue(json.out().startsWith("[{\"host\":\"WEB01.example.com.\",\"label\":\"web01.example.com\",\"kid\":\""),
                json.out());
    }
}
