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

/**
 * The commands that take a host list as their argument (hosts, ping, authorize) list {@code -H LIST}
 * in their help: given that way, it names the hosts, as {@code pdsh -w} would; it was refused with
 * "Missing required parameter: 'LIST'".
 */
@Timeout(60)
class HostListOptionTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun rcon(String... args) {
        return ConsoleRun.run(agent.dir(), "", args);
    }

    @Test
    void hostsTakesTheListAsArgumentOrWithH() throws Exception {
        Path inventory = Files.writeString(agent.dir().resolve("inv"), "web: web[1-2]\n");
        ConsoleRun argument = rcon("hosts", "--inventory", inventory.toString(), "@web");
        ConsoleRun option = rcon("hosts", "--inventory", inventory.toString(), "-H", "@web");
        assertEquals(0, option.status(), option.err());
        assertEquals("web1\nweb2\n", argument.out(), argument.err());
        assertEquals(argument.out(), option.out());
    }

    @Test
    void pingAndAuthorizeTakeH() {
        String key = agent.keyFile().toString();
        ConsoleRun ping = rcon("ping", "--key", key, "-H", agent.address());
        assertEquals(0, ping.status(), ping.out() + ping.err());
        assertTrue(ping.out().contains("  up "), ping.out());
        ConsoleRun byOption = rcon("authorize", "--key", key, "-H", "web1");
        ConsoleRun byArgument = rcon("authorize", "--key", key, "web1");
        assertEquals(0, byOption.status(), byOption.err());
        assertTrue(byOption.out().startsWith("rcon1 "), byOption.out());
        assertEquals(byArgument.out(), byOption.out());
    }

    @Test
    void noListOrTwoListsAreRefusedInOneLine() {
        ConsoleRun none = rcon("hosts");
        assertEquals(255, none.status());
        assertEquals("rcon: give a host list, as the argument (LIST) or with -H LIST\n", none.err());
        ConsoleRun both = rcon("hosts", "-H", "web1", "web2");
        assertEquals(255, both.status());
        assertEquals("rcon: give the host list once, as the argument or with -H, not both\n", both.err());
    }

    /**
     * A list given to --host, as an operator used to pdsh -w might: "a,b:5023" was reported as
     * "not a valid IPv6 address" and "@web" as "unknown host" (found driving the console by hand).
     */
    @Test
    void aListGivenToHostIsNamedAsAListAndRunsNothing() {
        String key = agent.keyFile().toString();
        for (String list : new String[] {"web1:5023,web2:5023", "web[1-2]", "@web", "^hosts.txt"}) {
            ConsoleRun run = rcon("--key", key, "--host", list, "--", "true");
            assertEquals(255, run.status(), run.err());
            assertEquals("rcon: --host takes one host, but '" + list + "' is a host list: give it with -H\n", run.err());
        }
    }

    /** A fleet-only option with --host was ignored without a word, bad value or not (--fanout=-3). */
    @Test
    void aFleetOnlyOptionWithHostIsRefusedAndRunsNothing() throws Exception {
        String key = agent.keyFile().toString();
        Path marker = agent.dir().resolve("ran");
        for (String option : new String[] {"--outdir=out", "--fanout=-3", "-b", "--json", "--max-output=10Q", "-x=web1",
                "--timing", "--stdin"}) {
            ConsoleRun run = rcon("--key", key, "--host", agent.address(), option, "--", "touch " + marker);
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            assertEquals(255, run.status(), option + ": " + run.err());
            assertEquals("rcon: " + name + " is for fleet runs (-H LIST); with --host it would do nothing"
                    + " (see rcon --help)\n", run.err());
            assertTrue(Files.notExists(marker), option);
        }
    }
}
