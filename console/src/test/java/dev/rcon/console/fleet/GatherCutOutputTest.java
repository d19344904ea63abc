package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/FLEET.md: gathered output past 16 MiB is cut and its group says "output cut", also for a host that exited 0. */
@Timeout(60)
class GatherCutOutputTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void aHostThatExitedZeroWithMoreThanIsKeptSaysOutputCut() {
        ConsoleRun run = ConsoleRun.run(agent.dir(), "", "--key", agent.keyFile().toString(), "-H", agent.address(), "-b",
                "--", "head -c 17000000 /dev/zero | tr '\\000' a");
        assertEquals(0, run.status(), run.err());
        String header = run.out().lines().skip(1).findFirst().orElseThrow();
        assertEquals(agent.address() + " (1) output cut", header);
        assertTrue(run.out().length() < 17_000_000, "the output was cut");
    }
}
