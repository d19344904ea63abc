package dev.rcon.console.repl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.common.concurrent.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The interactive shell on a real pseudo-terminal (util-linux script): the prompt, Ctrl-C during
 * a command, exit, and the history file.
 */
@Timeout(90)
class LineEditorTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    /** Everything the terminal showed, and a way to wait for text without polling. */
    private static final class Screen {
        private final StringBuilder text = new StringBuilder();

        void pump(InputStream in) {
            Threads.start("pty-reader", () -> {
                byte[] buf = new byte[4096];
                int n;
                try {
                    while ((n = in.read(buf)) >= 0) {
                        synchronized (this) {
                            text.append(new String(buf, 0, n, UTF_8));
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // The terminal closed.
                }
            });
        }

        synchronized void await(String expected) throws InterruptedException {
            awaitAfter("", expected);
        }

        /** Waits for {@code expected} after the first {@code after}: a prompt after a command's output, say. */
        synchronized void awaitAfter(String after, String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (text.indexOf(after) < 0 || text.indexOf(expected, text.indexOf(after) + after.length()) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertTrue(left > 0, "never saw '" + expected + "' in: " + text);
                wait(left);
            }
        }
    }

    /** The line shell on a pty (util-linux script), what it shows, and keys typed on it. */
    private static final class LineShell implements AutoCloseable {
        final Process process;
        final Screen screen = new Screen();

        LineShell(Process process) {
            this.process = process;
            screen.pump(process.getInputStream());
        }

        void type(String keys) throws IOException {
            process.getOutputStream().write(keys.getBytes(UTF_8));
            process.getOutputStream().flush();
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** The line shell on a pty of {@code cols} by {@code rows}. */
    private LineShell lineShell(int cols, int rows) throws IOException {
        return lineShell("cols " + cols + " rows " + rows);
    }

    /** The line shell on a pty with {@code settings} (stty's arguments). */
    private LineShell lineShell(String settings) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: util-linux script is not installed");
        String console = "stty " + settings + "; exec " + System.getProperty("java.home") + "/bin/java -cp "
                + System.getProperty("java.class.path") + " dev.rcon.console.Main --host " + agent.address()
                + " --key " + agent.keyFile() + " --line-shell";
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qfec", console, "/dev/null"));
        pb.environment().put("HOME", agent.dir().toString());
        pb.environment().remove("XDG_STATE_HOME");
        pb.redirectErrorStream(true);
        return new LineShell(pb.start());
    }

    /**
     * A pty nobody sized (0 columns and rows, as some harnesses make one) is edited as 80x24:
     * JLine drew the prompt in 0 columns as dots and echoed nothing that was typed.
     */
    @Test
    void aTerminalNobodySizedStillShowsThePromptAndTheTypedLine() throws Exception {
        try (LineShell shell = lineShell(0, 0)) {
            shell.screen.await(System.getProperty("user.name") + "@");
            shell.type("echo zero-$((2+3))\n");
            // What was typed is echoed (up to the parentheses, which JLine redraws as it matches them).
            shell.screen.await("$ echo zero-");
            shell.screen.await("zero-5");
            shell.type("exit 0\n");
            assertEquals(0, shell.awaitExit());
        }
    }

    /**
     * stty intr ^X, where Ctrl-X is also emacs mode's prefix (Ctrl-X Ctrl-U undoes): the interrupt
     * key drops the line at once, in a Ctrl-R search too. JLine waited for a key to follow the
     * prefix, and in a search put that key into the line it then dropped: "cho: not found".
     */
    @Test
    void anInterruptKeyThatIsAlsoAPrefixDropsTheLineAtOnceInASearchToo() throws Exception {
        try (LineShell shell = lineShell("cols 200 rows 50 intr ^X")) {
            String prompt = System.getProperty("user.name") + "@";
            shell.screen.await(prompt);
            shell.type("echo first-$((1+1))\n");
            // At the prompt, not while the command runs: there the key is the terminal's SIGINT.
            shell.screen.awaitAfter("first-2", prompt);
            shell.type("\u0012first\u0018echo after-$((2+3))\n");
            shell.screen.awaitAfter("after-5", prompt);
            shell.type("dropped\u0018echo third-$((3+4))\n");
            shell.screen.await("third-7");
            shell.type("exit 3\n");
            assertEquals(3, shell.awaitExit());
        }
    }

    @Test
    void thePromptCtrlCAndHistoryWorkOnATerminal() throws Exception {
        try (LineShell shell = lineShell(200, 50)) {
            String user = System.getProperty("user.name");

            shell.type("cd /tmp\n");
            shell.screen.await(user + "@");
            shell.screen.await(":/tmp$ ");

            // The output differs from the typed line, so seeing it means the command runs.
            shell.type("echo ready-$((40+2)); sleep 30\n");
            shell.screen.await("ready-42");
            shell.type("\u0003");
            shell.screen.await("[signal INT]");

            shell.type("exit 4\n");
            assertEquals(4, shell.awaitExit());
        }
        String history = Files.readString(agent.dir().resolve(".local/state/rcon/history"));
        assertTrue(history.contains(":cd /tmp\n") && history.contains(":echo ready-$((40+2)); sleep 30\n"), history);
    }
}
