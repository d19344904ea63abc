package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Options of the top-level command work before a subcommand as well as after it. */
@Timeout(60)
class GlobalOptionsTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun rcon(String... args) {
        return ConsoleRun.run(agent.dir(), "", args);
    }

    @Test
    void keyBeforeOrAfterPingIsTheSame() {
        String key = agent.keyFile().toString();
        ConsoleRun before = rcon("--key", key, "ping", agent.address());
        ConsoleRun after = rcon("ping", "--key", key, agent.address());
        assertEquals(0, before.status(), before.out() + before.err());
        assertEquals(0, after.status(), after.out() + after.err());
        assertTrue(before.out().contains("  up "), before.out());
    }

    @Test
    void hostAndKeyBeforePutAndGetAreUsed() throws Exception {
        Path local = Files.writeString(agent.dir().resolve("a.txt"), "global\n");
        Path remote = agent.dir().resolve("b.txt");
        ConsoleRun put = rcon("--host", agent.address(), "--key", agent.keyFile().toString(), "put",
                local.toString(), remote.toString());
        assertEquals(0, put.status(), put.err());
        assertEquals("global\n", Files.readString(remote));
        Path back = Files.createDirectory(agent.dir().resolve("back"));
        ConsoleRun get = rcon("--key", agent.keyFile().toString(), "get", "--host", agent.address(),
                remote.toString(), back.toString());
        assertEquals(0, get.status(), get.err());
        assertEquals("global\n", Files.readString(back.resolve("b.txt")));
    }

    @Test
    void aPutWithNoHostAnywhereSaysSo() throws Exception {
        Path local = Files.writeString(agent.dir().resolve("a.txt"), "x");
        ConsoleRun put = rcon("--key", agent.keyFile().toString(), "put", local.toString(), "/tmp/x");
        assertEquals(255, put.status());
        assertEquals("rcon: name the agent with --host HOST[:PORT]\n", put.err());
    }

    @Test
    void inventoryBeforeHostsAndAuthorizeIsUsed() throws Exception {
        Path inventory = Files.writeString(agent.dir().resolve("inv"), "web: web[1-2]\n");
        ConsoleRun hosts = rcon("--inventory", inventory.toString(), "hosts", "@web");
        assertEquals("web1\nweb2\n", hosts.out(), hosts.err());
        ConsoleRun lines = rcon("--inventory", inventory.toString(), "--key", agent.keyFile().toString(),
                "authorize", "@web");
        assertEquals(2, lines.out().lines().filter(l -> l.startsWith("rcon1 ")).count(), lines.out() + lines.err());
    }
}
