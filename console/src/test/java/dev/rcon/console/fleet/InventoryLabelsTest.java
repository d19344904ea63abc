package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The inventory can reach a name at an address and key it for a label, so names share a key. */
@Timeout(30)
class InventoryLabelsTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private Path inventory(String text) throws Exception {
        return Files.writeString(agent.dir().resolve("hosts"), text);
    }

    @Test
    void twoNamesWithOneLabelShareTheHostsKey() throws Exception {
        int port = agent.get().port();
        Path inv = inventory("host db1 address=127.0.0.1 label=127.0.0.1\nhost DB1.example.com. address=127.0.0.1"
                + " label=127.0.0.1\nhost stranger address=127.0.0.1\nall: db1:" + port + ", DB1.example.com.:" + port + "\n");
        for (String name : new String[] {"db1", "DB1.example.com."}) {
            ConsoleRun run = ConsoleRun.run(agent.dir(), "", "--inventory", inv.toString(), "--key",
                    agent.keyFile().toString(), "--host", name + ":" + port, "--", "echo", "shared");
            assertEquals("shared\n", run.out(), run.err());
        }
        ConsoleRun fleet = ConsoleRun.run(agent.dir(), "", "--inventory", inv.toString(), "--key",
                agent.keyFile().toString(), "-H", "@all", "--", "true");
        assertEquals(0, fleet.status(), fleet.err());
        ConsoleRun denied = ConsoleRun.run(agent.dir(), "", "--inventory", inv.toString(), "--key",
                agent.keyFile().toString(), "--host", "stranger:" + port, "--", "true");
        assertEquals(255, denied.status());
        assertTrue(denied.err().contains("(label stranger, kid "), denied.err());
        ConsoleRun lines = ConsoleRun.run(agent.dir(), "", "authorize", "--inventory", inv.toString(), "--key",
                agent.keyFile().toString(), "DB1.example.com.");
        assertEquals(KeyLine.format(agent.get().key()) + "\n", lines.out(), lines.err());
    }

    /**
     * Host names compare without case (FLEET.md; a list drops WEB01 after web01), but a host line
     * was found only by its exact spelling: 'WEB01' went to DNS as 'unknown host', with no key
     * label of the line's (found typing a name in capitals against an inventory in lower case).
     */
    @Test
    void aNameWrittenInAnotherCaseFindsItsHostLine() throws Exception {
        int port = agent.get().port();
        Path inv = inventory("host web01 address=127.0.0.1 label=127.0.0.1\n");
        ConsoleRun one = ConsoleRun.run(agent.dir(), "", "--inventory", inv.toString(), "--key",
                agent.keyFile().toString(), "--host", "WEB01:" + port, "--", "echo", "found");
        assertEquals("found\n", one.out(), one.err());
        ConsoleRun fleet = ConsoleRun.run(agent.dir(), "", "--inventory", inv.toString(), "--key",
                agent.keyFile().toString(), "-H", "Web01:" + port, "--", "true");
        assertEquals(0, fleet.status(), fleet.err());
        Path twice = inventory("host web01 address=x\nhost WEB01 label=y\n");
        assertEquals(twice + ":2: host 'WEB01' is already described",
                assertThrows(IllegalArgumentException.class, () -> Inventory.load(twice, true)).getMessage());
    }

    @Test
    void aBadHostLineNamesFileLineAndProblem() throws Exception {
        Path inv = inventory("# x\nhost a label=b label=c\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inventory.load(inv, true));
        assertEquals(inv + ":2: host 'a' has label= twice", e.getMessage());
        Path twice = inventory("host a address=x\nhost a label=y\n");
        assertEquals(twice + ":2: host 'a' is already described",
                assertThrows(IllegalArgumentException.class, () -> Inventory.load(twice, true)).getMessage());
    }
}
