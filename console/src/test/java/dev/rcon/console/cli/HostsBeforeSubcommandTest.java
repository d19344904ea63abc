package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A word after {@code --host H} that names a subcommand ({@code rcon --host H last}, as one types
 * {@code ssh H last}) is refused with the way to run it remotely, never run locally instead.
 */
@Timeout(60)
class HostsBeforeSubcommandTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun rcon(String... args) {
        return ConsoleRun.run(agent.dir(), "", args);
    }

    @Test
    void hostThenLastIsRefusedInsteadOfShowingTheLocalLastRun() {
        ConsoleRun run = rcon("--host", agent.address(), "--key", agent.keyFile().toString(), "last");
        assertEquals(255, run.status(), run.out() + run.err());
        assertEquals("", run.out());
        assertTrue(run.err().contains("rcon --host ... -- last"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void aFleetListBeforePingIsRefusedInsteadOfIgnored() {
        ConsoleRun run = rcon("-H", agent.address(), "--key", agent.keyFile().toString(), "ping", agent.address());
        assertEquals(255, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("takes no -H before it"), run.err());
    }

    @Test
    void anExclusionBeforeASubcommandSaysToGiveItAfter() {
        ConsoleRun run = rcon("-x", "web03", "hosts", "web[01-03]");
        assertEquals(255, run.status(), run.out() + run.err());
        assertEquals("rcon: 'hosts' is an rcon subcommand, which takes no -x before it; give -x after it (rcon hosts"
                + " ... -x LIST), or run 'hosts' on hosts with rcon -H LIST -x LIST -- hosts ... (see rcon --help)", run.err().lines()
                .findFirst().orElse(""));
    }

    @Test
    void theWordAfterDoubleDashStillRunsOnTheHost() {
        ConsoleRun run = rcon("--host", agent.address(), "--key", agent.keyFile().toString(), "--", "echo", "last");
        assertEquals(0, run.status(), run.err());
        assertEquals("last\n", run.out());
    }
}
