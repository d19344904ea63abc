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

    /**
     * A host the inventory dials at an address is named in messages as the operator wrote it,
     * with the address after it: they named 127.0.0.1:PORT only, an address the operator may
     * never have seen (found by an operator pass).
     */
    @Test
    void singleHostMessagesNameTheHostAsWrittenAndTheAddressDialled() throws Exception {
        int port = agent.get().port();
        int closed;
        try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        Path inv = inventory("host web01 address=127.0.0.1 label=127.0.0.1\nhost dead01 address=127.0.0.1\n");
        String[] common = {"--inventory", inv.toString(), "--key", agent.keyFile().toString()};
        ConsoleRun slow = ConsoleRun.run(agent.dir(), "", concat(common, "--host", "web01:" + port, "--timeout", "1s",
                "--", "sleep 20"));
        assertTrue(slow.err().startsWith("rcon: web01 (127.0.0.1:" + port + "): command timed out after 1s"), slow.err());
        ConsoleRun refused = ConsoleRun.run(agent.dir(), "", concat(common, "--host", "dead01:" + closed, "--", "true"));
        assertEquals("rcon: dead01 (127.0.0.1:" + closed + "): connection refused\n", refused.err());
        Path local = Files.writeString(agent.dir().resolve("sent.txt"), "x");
        Path remote = agent.dir().resolve("received.txt");
        ConsoleRun put = ConsoleRun.run(agent.dir(), "", concat(new String[] {"put"}, concat(common, "--host",
                "web01:" + port, local.toString(), remote.toString())));
        assertTrue(put.out().startsWith(local + " -> web01:" + remote + " ("), put.out() + put.err());
        ConsoleRun get = ConsoleRun.run(agent.dir(), "", concat(new String[] {"get"}, concat(common, "--host",
                "web01:" + port, remote.toString(), agent.dir().resolve("back.txt").toString())));
        assertTrue(get.out().startsWith("web01:" + remote + " -> "), get.out() + get.err());
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more))
                .toArray(String[]::new);
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
