package dev.rcon.console.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The line shell (-T) driven through a pipe, one command per line. */
@Timeout(60)
class ShellTest {
    @RegisterExtension
    final AgentExtension extension = new AgentExtension();
    TestAgent agent;
    Path dir;
    Path key;

    @BeforeEach
    void start() {
        agent = extension.get();
        dir = extension.dir();
        key = extension.keyFile();
    }

    private ConsoleRun shell(String script) {
        return ConsoleRun.run(dir, script, "-T", "--host", "127.0.0.1:" + agent.port(), "--key", key.toString());
    }

    @Test
    void cdChangesTheDirectoryOfLaterCommands() {
        ConsoleRun r = shell("cd /tmp\npwd\n");
        assertEquals("/tmp\n", r.out());
        assertEquals(0, r.status());
    }

    @Test
    void cdToAMissingDirectoryErrsAndKeepsTheOldOne() {
        ConsoleRun r = shell("cd /tmp\ncd /nope\npwd\n");
        assertEquals("/tmp\n", r.out());
        assertEquals("cd: /nope: no such directory (or not permitted)\n", r.err());
    }

    @Test
    void cdIsRelativeToTheCurrentDirectoryAndCdAloneGoesHome() {
        ConsoleRun r = shell("cd /\ncd usr\npwd\ncd\npwd\n");
        assertEquals("/usr\n" + System.getProperty("user.home") + "\n", r.out());
    }

    /**
     * A line that begins with cd but is more than cd and one directory (cd /tmp && ls) runs as
     * one remote command, the cd inside it as in a subshell: the builtin took the rest of the
     * line for a directory's name and said no such directory (found driving the line shell).
     */
    @Test
    void cdWithMoreOnTheLineRunsAsOneRemoteCommandAndLeavesTheDirectory() {
        ConsoleRun r = shell("cd /\ncd /tmp && pwd\npwd\ncd /usr; pwd\ncd 'My Dir'\n");
        assertEquals("/tmp\n/\n/usr\n", r.out());
        assertEquals("cd: My Dir: no such directory (or not permitted)\n", r.err());
    }

    @Test
    void exitEndsWithTheGivenStatus() {
        ConsoleRun r = shell("echo a\nexit 3\necho never\n");
        assertEquals("a\n", r.out());
        assertEquals(3, r.status());
    }

    @Test
    void endOfInputExitsWithTheLastStatusAndEmptyLinesDoNothing() {
        ConsoleRun r = shell("\n\ntrue\n   \nsh -c 'exit 4'\n");
        assertEquals(4, r.status());
    }

    @Test
    void theWholeShellUsesOneSession() {
        shell("true\ntrue\ncd /tmp\ntrue\n");
        assertEquals(1, agent.log().lines().filter(l -> l.contains("auth ok")).count(), agent.log());
    }

    @Test
    void outputOfEachCommandArrivesInOrder() {
        assertEquals("1\n2\n3\n", shell("echo 1\necho 2 \necho 3\n").out());
    }
}
