package dev.rcon.console.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --cwd} holds for the shell too: a script piped to {@code rcon --host H --cwd DIR} runs
 * its lines in DIR, not in the home directory, and a DIR that does not exist runs nothing.
 */
@Timeout(60)
class ShellStartDirectoryTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void aScriptRunsItsLinesInTheGivenDirectory() throws Exception {
        Path dir = Files.createDirectory(agent.dir().resolve("app")).toRealPath();
        ConsoleRun run = ConsoleRun.run(agent.dir(), "pwd\ncd ..\npwd\n", "--key", agent.keyFile().toString(),
                "-T", "--host", agent.address(), "--cwd", dir.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals(dir + "\n" + dir.getParent() + "\n", run.out());
    }

    @Test
    void aDirectoryThatDoesNotExistRunsNothing() {
        String missing = agent.dir().resolve("no-such-dir").toString();
        ConsoleRun run = ConsoleRun.run(agent.dir(), "echo ran\n", "--key", agent.keyFile().toString(),
                "-T", "--host", agent.address(), "--cwd", missing);
        assertEquals(255, run.status(), run.out() + run.err());
        assertEquals("", run.out());
        assertEquals("rcon: no such directory: " + missing + "\n", run.err());
    }
}
