package dev.rcon.console.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.PtyConsole;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ctrl-C in the line shell, on a real pseudo-terminal, typed when the console is between a
 * prompt and a command. It used to end the console: JLine's exec provider ran stty in the
 * terminal's foreground process group at each prompt, where the key's SIGINT killed it (a stack
 * trace; after a few Ctrl-C at the prompt, the terminal left raw), and JLine's readLine
 * interrupted the thread that then waited for the command ("rcon: InterruptedException").
 */
@Timeout(180)
class LineShellCtrlCTest {
    private static final String CTRL_C = "\u0003";
    /** Ctrl-U: a line a Ctrl-C cut in two (see stillAnswers) leaves nothing behind for the next. */
    private static final String KILL_LINE = "\u0015";
    private static final int TRIES = 3;
    /** JLine leaving a line with nothing run, then the next prompt. */
    private static final String VANISHED_LINE = "\u001b[?2004l\u001b[?1h";

    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private PtyConsole lineShell() throws Exception {
        PtyConsole console = PtyConsole.start(agent.dir(), "--host", agent.address(), "--key",
                agent.keyFile().toString(), "-T");
        console.await("\\$ ", 0);
        return console;
    }

    /**
     * Runs a command whose output differs from its line, and fails if the console died first. A
     * Ctrl-C typed after the Enter is a key while the prompt's mode holds, and the next prompt
     * drops the line it ends; once the command started it is a signal, and one the JVM hands on
     * late may still reach the command the next line runs or JLine's next read: the line may
     * vanish (a prompt with no output after it), run cut in two (a failure shown as [exit N]) or
     * be interrupted ([signal INT]); then it is typed again. What the console says from
     * {@code since} on counts.
     */
    private static void stillAnswers(PtyConsole console, int round, int since) throws Exception {
        String alive = "alive-" + (round * 1000 + 42);
        Matcher seen = null;
        for (int i = 0; i < TRIES && (seen == null || cutShort(seen.group())); i++) {
            int from = i == 0 ? since : console.mark();
            console.type(KILL_LINE + "echo alive-$((" + round + "*1000+42))\r");
            seen = console.await(alive + "|Exception in thread|rcon: [^\\r\\n]+|\\[(exit|signal) \\w+\\]|"
                    + Pattern.quote(VANISHED_LINE), from);
        }
        assertEquals(alive, seen.group(), "round " + round);
        // Its end: a Ctrl-C typed while it still ran would be its own (INT, KILL, then giving up on the host).
        console.await("\\$ ", seen.end());
    }

    private static boolean cutShort(String seen) {
        return seen.startsWith("[") || seen.equals(VANISHED_LINE);
    }

    /**
     * Keys typed at the prompt, a Ctrl-C among them, are taken in the order typed, whatever the
     * timing: a line ended before the Ctrl-C runs, the line the Ctrl-C ends is dropped, the line
     * after it runs whole. All in one write, as a fast hand or a paste sends them. As a signal,
     * the Ctrl-C made the kernel discard the keys not yet read (the Enter, so the first line never
     * ran) and reached JLine later, in the middle of the next line, which ran cut in two.
     */
    @Test
    void keysTypedAroundACtrlCAtThePromptAreTakenInTheirOrder() throws Exception {
        try (PtyConsole console = lineShell()) {
            for (int round = 1; round <= 15; round++) {
                int from = console.mark();
                console.type("echo entered-$((" + round + "+1000))\r" + CTRL_C + "echo dropped-$((" + round + "*7))x"
                        + CTRL_C + "echo kept-$((" + round + "*1000+42))\r");
                int entered = console.await("entered-" + (round + 1000) + "|\\[(exit|signal) \\w+\\]", from).end();
                Matcher kept = console.await("kept-" + (round * 1000 + 42) + "|\\[(exit|signal) \\w+\\]", entered);
                assertEquals("kept-" + (round * 1000 + 42), kept.group(), "round " + round);
                console.await("\\$ ", kept.end());
            }
            console.type("echo done-$((6*7))\r");
            int end = console.await("done-42", 0).end();
            console.type("exit 5\r");
            assertEquals(5, console.awaitExit());
            String shown = console.text(0, end);
            assertFalse(Pattern.compile("dropped-\\d+x").matcher(shown).find(), "a dropped line ran: " + shown);
        }
    }

    @Test
    void aCtrlCTypedWithTheEnterThatRunsACommandNeverEndsTheLineShell() throws Exception {
        try (PtyConsole console = lineShell()) {
            for (int round = 1; round <= 40; round++) {
                int from = console.mark();
                console.type("echo typed-" + round);
                from = console.await("typed-" + round, from).end();
                // Two writes, as from a fast hand: in one, the terminal would discard the line unread.
                console.type("\r");
                console.type(CTRL_C);
                stillAnswers(console, round, from);
            }
            console.type("exit 5\r");
            assertEquals(5, console.awaitExit());
        }
    }
}
