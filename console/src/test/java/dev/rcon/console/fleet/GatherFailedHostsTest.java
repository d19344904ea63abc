package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code -b} folds hosts that failed the same way, as it folds their output: a failure's message
 * names the host (its label, the address dialled, the kid of the key derived for it), and a
 * hundred unenrolled hosts were a hundred groups of one, the very listing -b is there to avoid.
 */
@Timeout(60)
class GatherFailedHostsTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void hostsThatDenyTheKeyAreFoldedIntoOneGroupNamingEachWithAPlaceholder() throws Exception {
        Path stranger = TestKeys.keyFile(Files.createDirectory(agent.dir().resolve("other")), TestKeys.fresh("stranger"));
        String port = agent.address().substring(agent.address().lastIndexOf(':') + 1);
        Path inv = agent.dir().resolve("inventory");
        Files.writeString(inv, "host web1 address=127.0.0.1\nhost web2 address=127.0.0.1\nhost web3 address=127.0.0.1\n");
        ConsoleRun run = ConsoleRun.run(agent.dir(), "", "--key", stranger.toString(), "--inventory", inv.toString(),
                "-H", "web[1-3]:" + port, "-b", "--", "true");
        assertEquals(2, run.status(), run.err());
        assertEquals("web[1-3]:" + port + " (3) denied: the agent does not accept key 'stranger' (label {host});"
                + " enroll the host with the line of: rcon authorize {host}",
                run.out().lines().filter(l -> l.contains("denied")).reduce((a, b) -> a + "\n" + b).orElse(run.out()));
        assertTrue(run.err().contains("3 denied"), run.err());
    }
}
