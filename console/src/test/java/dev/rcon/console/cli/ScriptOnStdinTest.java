package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.agent.testkit.AgentExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rcon --host H < script.sh}, as {@code ssh H < script.sh}: one remote shell reads the
 * whole script. Found by driving the console as an operator would: the script mode ran each line
 * as a command of its own, so the body of {@code if false; then ... fi} ran unconditionally.
 */
@Timeout(60)
class ScriptOnStdinTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun script(String text, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "--key";
        args[1] = agent.keyFile().toString();
        args[2] = "--host";
        args[3] = agent.address();
        System.arraycopy(more, 0, args, 4, more.length);
        return ConsoleRun.run(agent.dir(), text, args);
    }

    @Test
    void theBodyOfAConditionThatIsFalseDoesNotRun() {
        ConsoleRun r = script("if false; then\n  echo body ran\nfi\necho after\n");
        assertEquals("after\n", r.out(), r.err());
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void variablesHereDocumentsAndFunctionsSpanLines() {
        ConsoleRun r = script("x=1\nf() {\n  echo \"f $1\"\n}\nf $x\ncat <<EOF\nhere $x\nEOF\n");
        assertEquals("f 1\nhere 1\n", r.out(), r.err());
    }

    @Test
    void exitEndsTheScriptWithItsStatusAndCdHolds() {
        ConsoleRun r = script("cd /tmp\npwd\nexit 4\necho never\n");
        assertEquals("/tmp\n", r.out(), r.err());
        assertEquals(4, r.status(), r.err());
    }

    @Test
    void withoutAnExitTheStatusIsTheLastCommands() {
        assertEquals(3, script("true\nsh -c 'exit 3'\n").status());
    }

    @Test
    void theLineShellStillRunsOneCommandPerLineWhenAsked() {
        ConsoleRun r = script("x=1\necho x=$x\n", "-T");
        assertEquals("x=\n", r.out(), r.err());
    }
}
