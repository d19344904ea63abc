package dev.rcon.console.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.PtyConsole;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console on a real pseudo-terminal against a real agent: the remote login shell is a
 * terminal as ssh's is, and the local terminal's settings are the same afterwards on every way
 * out. Each command prints something that differs from its typed line, so seeing it means it ran.
 */
@Timeout(120)
class RemoteTerminalTest {
    private static final String ESC = "\u001b";

    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private PtyConsole console(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--host", agent.address(), "--key", agent.keyFile().toString()));
        args.addAll(List.of(more));
        return PtyConsole.start(agent.dir(), args.toArray(new String[0]));
    }

    /** Runs {@code line} in the remote shell and waits for {@code expected} in its output. */
    private static int run(PtyConsole console, String line, String expected) throws Exception {
        int from = console.mark();
        console.type(line + "\r");
        return console.await(expected, from).end();
    }

    @Test
    void theRemoteShellRunsFullScreenProgramsFollowsResizesAndTakesCtrlCAndCtrlZ() throws Exception {
        try (PtyConsole console = console()) {
            run(console, "echo tty-$((6*7)) $(tty) $TERM $(stty size)", "tty-42 /dev/pts/\\d+ xterm 30 100");

            fullScreenProgram(console);

            // Two resizes in a row, each seen: the trap prints every size it is told of until ^C.
            // (One `stty cols 120 rows 40` is two ioctls too, so a console could send 30 120 first.)
            int from = run(console, "sh -c 'trap \"stty size\" WINCH; echo waiting-$((1+1)); while :; do sleep 5 & wait $!; done'",
                    "waiting-2");
            resize(console, "cols", "120");
            from = console.await("30 120", from).end();
            resize(console, "rows", "40");
            console.await("40 120", from);
            console.type("\u0003");
            run(console, "echo after-resize-$?", "after-resize-130");

            // The marker comes from the job itself, which bash has made the terminal's foreground
            // group before it runs: after `echo; sleep` a ^C could reach bash between the two,
            // while sleep was still being spawned (seen on a slow host), and never reach sleep.
            run(console, "sh -c 'echo sleeping-$((2+3)); exec sleep 100'", "sleeping-5");
            console.type("\u0003");
            run(console, "echo after-ctrl-c-$?", "after-ctrl-c-130");

            run(console, "sh -c 'trap \"echo continued-\\$((4+4))\" CONT; echo stopping-$((3+4));"
                    + " while :; do sleep 5 & wait $!; done'", "stopping-7");
            from = console.mark();
            console.type("\u001a");
            console.await("Stopped", from);
            // The job says it runs again: bash gives it the terminal before it sends CONT. A ^C
            // typed once `fg` had echoed could reach bash first (seen on a loaded host) and never
            // the job.
            run(console, "fg", "continued-8");
            console.type("\u0003");
            run(console, "echo after-fg-$?", "after-fg-130");

            from = console.mark();
            console.type("\r~.");
            console.await("rcon: disconnected from ", from);
            assertEquals(255, console.awaitExit());
        }
    }

    private static void resize(PtyConsole console, String what, String value) throws Exception {
        Process stty = new ProcessBuilder("stty", "-F", console.device(), what, value).start();
        assertTrue(stty.waitFor(10, TimeUnit.SECONDS) && stty.exitValue() == 0, "stty -F failed");
    }

    /** vi (or, without it, a small program on the alternate screen) edits a file through the terminal. */
    private void fullScreenProgram(PtyConsole console) throws Exception {
        Path file = agent.dir().resolve("edited.txt");
        if (Files.isExecutable(Path.of("/usr/bin/vi"))) {
            int from = console.mark();
            console.type("vi " + file + "\r");
            console.await(ESC + "\\[\\?1049h", from);
            console.type("ityped in vi" + ESC + ":wq\r");
            console.await(ESC + "\\[\\?1049l", from);
        } else {
            String program = "printf '" + ESC + "[?1049h'; stty raw -echo; k=$(dd bs=1 count=2 2>/dev/null);"
                    + " stty sane; printf '" + ESC + "[?1049l'; echo \"typed in vi\" > " + file;
            int from = console.mark();
            console.type("sh -c '" + program.replace("'", "'\\''") + "'\r");
            console.await(ESC + "\\[\\?1049h", from);
            console.type("ok");
            console.await(ESC + "\\[\\?1049l", from);
        }
        run(console, "echo edited-$((4+5))", "edited-9");
        assertEquals("typed in vi\n", Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void escapeCtrlZSuspendsTheConsoleWithTheTerminalRestoredAndFgResumesTheSessionRaw() throws Exception {
        try (PtyConsole console = PtyConsole.startAsJob(agent.dir(), "--host", agent.address(), "--key",
                agent.keyFile().toString())) {
            run(console, "echo ready-$((5*5))", "ready-25");
            int from = console.mark();
            console.type("\r~\u001a");
            // bash names the stopped job by its command line, which is longer than a match may be.
            console.await("job-shell\\$ ", console.await("Stopped", from).end());
            // bash has the terminal, with the settings from before the console started.
            run(console, "[ \"$(stty -g)\" = \"$before\" ] && echo local-$((2*9))", "local-18");
            run(console, "fg", "(?s)fg.*\n");
            run(console, "echo remote-$((3*3)) $(tty)", "remote-9 /dev/pts/");
            // Raw again: Ctrl-C goes to the remote command, not to the console.
            run(console, "sh -c 'echo sleeping-$((2+3)); exec sleep 100'", "sleeping-5");
            console.type("\u0003");
            run(console, "echo after-ctrl-c-$?", "after-ctrl-c-130");
            from = console.mark();
            console.type("exit 4\r");
            console.await("job-shell\\$ ", from);
            assertEquals(4, console.awaitExit());
        }
    }

    /**
     * While the console is stopped, a resize sends SIGWINCH to the shell that has the terminal,
     * not to the console: as ssh does, the console sends the size once it runs again.
     */
    @Test
    void aWindowResizedWhileTheConsoleWasSuspendedReachesTheRemoteTerminalOnFg() throws Exception {
        try (PtyConsole console = PtyConsole.startAsJob(agent.dir(), "--host", agent.address(), "--key",
                agent.keyFile().toString())) {
            run(console, "echo ready-$((5*5)) $(stty size)", "ready-25 30 100");
            int from = console.mark();
            console.type("\r~\u001a");
            console.await("job-shell\\$ ", console.await("Stopped", from).end());
            run(console, "stty cols 132 rows 43; echo local-$((2*9)) $(stty size)", "local-18 43 132");
            run(console, "fg", "(?s)fg.*\n");
            from = console.mark();
            console.type("echo remote-$((3*3)) $(stty size)\r");
            assertEquals("remote-9 43 132", console.await("remote-9 \\d+ \\d+", from).group());
            from = console.mark();
            console.type("exit 4\r");
            console.await("job-shell\\$ ", from);
            assertEquals(4, console.awaitExit());
        }
    }

    @Test
    void ctrlCEndsACommandThatFloodsTheTerminal() throws Exception {
        try (PtyConsole console = console()) {
            int from = run(console, "echo flooding-$((2*4)); yes flood", "flooding-8");
            // A thousand lines, each awaited: a match longer than PtyConsole.MAX_MATCH is found
            // only when the flood outruns the reader by 6 KB between two looks.
            for (int line = 0; line < 1000; line++) {
                from = console.await("flood\r\n", from).end();
            }
            console.type("\u0003");
            run(console, "echo after-flood-$?", "after-flood-130");
            console.type("exit\r");
            assertEquals(0, console.awaitExit());
        }
    }

    @Test
    void oneCommandWithDashTRunsOnATerminalAndExitsWithItsStatus() throws Exception {
        try (PtyConsole console = console("-t", "--", "echo on-$(tty); exit 3")) {
            console.await("on-/dev/pts/\\d+", 0);
            assertEquals(3, console.awaitExit());
        }
    }

    @Test
    void aCommandWithoutDashTRunsOnPipesEvenOnATerminal() throws Exception {
        try (PtyConsole console = console("--", "tty || echo piped-$((7*6))")) {
            console.await("piped-42", 0);
            assertEquals(0, console.awaitExit());
        }
    }

    @Test
    void dashTWithStdinFromAPipeTypesItAndEndsWithTheEofCharacter() throws Exception {
        ConsoleRun run = ConsoleRun.run(agent.dir(), "typed\n", "--host", agent.address(), "--key",
                agent.keyFile().toString(), "-t", "--", "tty >/dev/null && cat");
        // The terminal echoes the line, cat writes it back, and the EOF character ends cat.
        assertEquals("typed\r\ntyped\r\n", run.out());
        assertEquals(0, run.status(), run.err());
    }

    @Test
    void aRemoteTerminalGetsTheLocalLocaleUnlessEnvGivesItAndACommandWithoutOneDoesNot() throws Exception {
        Map<String, String> local = Map.of("LANG", "C.UTF-8", "LC_PAPER", "C.UTF-8", "LC_TIME", "C.UTF-8",
                "LANGUAGE", "de", "LC_EMPTY", "");
        String show = "echo \"${LANG-unset} ${LC_PAPER-unset} ${LC_TIME-unset} ${LANGUAGE-unset} ${LC_EMPTY-unset}\"";
        ConsoleRun terminal = ConsoleRun.run(agent.dir(), new ByteArrayInputStream(new byte[0]), local, "--host",
                agent.address(), "--key", agent.keyFile().toString(), "--env", "LC_TIME=POSIX", "-t", "--", show);
        assertEquals(0, terminal.status(), terminal.err());
        assertTrue(terminal.out().contains("C.UTF-8 C.UTF-8 POSIX unset unset"), terminal.out());

        ConsoleRun command = ConsoleRun.run(agent.dir(), new ByteArrayInputStream(new byte[0]), local, "--host",
                agent.address(), "--key", agent.keyFile().toString(), "--", "echo \"${LC_PAPER-unset}\"");
        assertEquals("unset\n", command.out(), command.err());
    }

    @Test
    void theExitStatusIsTheRemoteShells() throws Exception {
        try (PtyConsole console = console()) {
            run(console, "echo ready-$((5*5))", "ready-25");
            console.type("exit 7\r");
            assertEquals(7, console.awaitExit());
        }
    }

    @Test
    void aLostConnectionRestoresTheTerminal() throws Exception {
        try (AgentProcess other = AgentProcess.start(agent.get().authorizedKeys(), agent.dir().resolve("other.log"));
             PtyConsole console = PtyConsole.start(agent.dir(), "--host", "127.0.0.1:" + other.port(),
                     "--key", agent.keyFile().toString())) {
            run(console, "echo ready-$((5*5))", "ready-25");
            int from = console.mark();
            other.killAbruptly();
            console.await("rcon: 127.0.0.1:\\d+: connection lost", from);
            assertEquals(255, console.awaitExit());
        }
    }

    @Test
    void aKilledConsoleRestoresTheTerminal() throws Exception {
        try (PtyConsole console = console()) {
            run(console, "echo ready-$((5*5))", "ready-25");
            ProcessHandle java = console.console().orElseThrow();
            Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(java.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertEquals(143, console.awaitExit());
        }
    }

    @Test
    void theEscapeCharacterCanBeChangedAndTheHelpListsIt() throws Exception {
        try (PtyConsole console = console("-e", "%")) {
            run(console, "echo ready-$((5*5))", "ready-25");
            int from = console.mark();
            // ~ is an ordinary character now; Ctrl-U clears the line, Enter starts a new one.
            console.type("\r~.\u0015\r%?");
            console.await(" %\\.   - disconnect", from);
            console.await(" %\\^Z  - suspend rcon", from);
            run(console, "echo still-here-$((1+2))", "still-here-3");
            console.type("\r%.");
            assertEquals(255, console.awaitExit());
        }
    }
}
