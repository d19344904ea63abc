package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.CgroupChecks;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A command that leaves a background job behind is remembered by its session, so that the job
 * dies with the session. What the session remembers must be what is still alive: a console that
 * keeps one session open and runs command after command that leaves a short job (a limited key
 * will do) made the agent keep every one of them, with its cgroup, until the session ended.
 */
@Timeout(120)
class LingeringJobsTest {
    private static final int COMMANDS = 300;

    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void commandsWhoseBackgroundJobsAreGoneCostTheSessionNothing() throws Exception {
        CommandScopes host = CgroupChecks.assumeUsable();
        try (TestClient client = agent.get().connect()) {
            for (int id = 1; id <= COMMANDS; id++) {
                TestClient.Run run = client.run(Exec.shell(id, "sleep 0.05 >/dev/null 2>&1 &"));
                assertEquals(0, run.exit().code());
            }
            Thread.sleep(500);
            // One more, once every earlier job is gone: the session looks over what it keeps when that grew.
            assertEquals(0, client.run(Exec.shell(COMMANDS + 1, "sleep 0.05 >/dev/null 2>&1 &")).exit().code());
            long kept = commandCgroups(host.home());
            assertTrue(kept <= COMMANDS / 4, "the session kept " + kept + " cgroups of commands whose jobs are gone");
        }
    }

    private static long commandCgroups(Path home) throws IOException {
        String mine = CommandScopes.NAME_PREFIX + ProcessHandle.current().pid() + "-";
        try (Stream<Path> all = Files.list(home)) {
            return all.filter(p -> p.getFileName().toString().startsWith(mine)).count();
        }
    }
}
