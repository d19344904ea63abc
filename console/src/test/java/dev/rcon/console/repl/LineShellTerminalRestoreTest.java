package dev.rcon.console.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.PtyConsole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The line shell leaves the terminal exactly as it found it ({@code stty -g} the same), its
 * speed included: JLine's native terminal wrote a termios with the speed cleared, B0, which on a
 * serial console hangs up the line (jline/jline3#2170).
 */
@Timeout(90)
class LineShellTerminalRestoreTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void leavingTheLineShellRestoresEveryTerminalSettingIncludingTheSpeed() throws Exception {
        try (PtyConsole console = PtyConsole.start(agent.dir(), "--host", agent.address(), "--key",
                agent.keyFile().toString(), "-T")) {
            console.await("\\$ ", 0);
            int mark = console.mark();
            console.type("echo ready-$((40+2))\r");
            console.await("ready-42", mark);
            console.await("\\$ ", mark);
            console.type("exit 4\r");
            assertEquals(4, console.awaitExit());
        }
    }
}
