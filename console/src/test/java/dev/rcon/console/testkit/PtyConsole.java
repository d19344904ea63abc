package dev.rcon.console.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The console as a real process on a real pseudo-terminal (util-linux script), as a person at
 * a terminal runs it. A small sh around it prints the terminal's device, then the console's exit
 * status and whether the terminal's settings (stty -g) are the same afterwards as before.
 * Everything the terminal shows is kept, and tests wait for text to appear, never for time.
 */
public final class PtyConsole implements AutoCloseable {
    /** Printed after the console exited when stty -g is unchanged. */
    public static final String RESTORED = "terminal-settings-restored";
    /** The longest text {@link #await} matches. */
    public static final int MAX_MATCH = 1024;
    private final Process script;
    private final OutputStream keys;
    private final StringBuilder text = new StringBuilder();
    private final String device;
    /** Whether the console is a job of an interactive bash, which prints its status when told. */
    private final boolean jobShell;

    private PtyConsole(Process script, String typed) throws IOException, InterruptedException {
        this.script = script;
        this.keys = script.getOutputStream();
        this.jobShell = typed != null;
        pump(script.getInputStream());
        if (typed != null) {
            type(typed);
        }
        this.device = await("outer-tty=(/dev/pts/\\d+)\\s", 0).group(1);
    }

    /**
     * Starts {@code rcon ARGS} on a terminal of 100 x 30 with TERM=xterm.
     *
     * @param home the console's $HOME
     */
    public static PtyConsole start(Path home, String... args) throws IOException, InterruptedException {
        // A handler, not an ignore (which the console would inherit): the sh that reports the
        // status is in the console's process group, and dash (CI's sh) dies of a Ctrl-C or
        // Ctrl-\ the console survives, where bash waits to see whether its child did.
        String outer = "trap : INT QUIT; stty cols 100 rows 30; echo \"outer-tty=$(tty) \"; before=$(stty -g); " + command(args)
                + "; status=$?; echo; echo \"console-status=$status \"; [ \"$(stty -g)\" = \"$before\" ] && echo "
                + RESTORED;
        return new PtyConsole(script(home, outer).start(), null);
    }

    /**
     * As {@link #start}, but typed at an interactive bash (prompt {@code job-shell$ }), which
     * makes the console a job of its own as a login shell would: Ctrl-Z or {@code ~^Z} stops it
     * and gives bash the terminal, {@code fg} continues it. The shell variable {@code before}
     * holds the terminal's settings (stty -g) from before the console started. Call
     * {@link #awaitExit} once bash's prompt is back: it types the line that prints the status.
     */
    public static PtyConsole startAsJob(Path home, String... args) throws IOException, InterruptedException {
        // bash sets its own PS1 over one from the environment.
        return new PtyConsole(script(home, "exec bash --norc --noprofile -i").start(), "PS1='job-shell$ '; stty cols 100 rows 30; echo \"outer-tty=$(tty) \"; before=$(stty -g)\r"
                + command(args) + "\r");
    }

    private static String command(String... args) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: util-linux script is not installed");
        StringBuilder console = new StringBuilder(System.getProperty("java.home") + "/bin/java"
                + " --enable-native-access=ALL-UNNAMED -cp " + System.getProperty("java.class.path")
                + " dev.rcon.console.Main");
        for (String arg : args) {
            console.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return console.toString();
    }

    private static ProcessBuilder script(Path home, String shell) {
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qfec", shell, "/dev/null"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TERM", "xterm");
        // script runs $SHELL -c: the same shell wherever the tests run.
        pb.environment().put("SHELL", "/bin/sh");
        // The history and the last fleet run go under HOME, never the state of whoever runs the tests.
        pb.environment().remove("XDG_STATE_HOME");
        pb.redirectErrorStream(true);
        return pb;
    }

    private void pump(InputStream in) {
        Thread t = new Thread(() -> {
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
        }, "pty-console-reader");
        t.setDaemon(true);
        t.start();
    }

    /** The outer terminal's device, whose size a test can change with stty -F. */
    public String device() {
        return device;
    }

    /** Types {@code bytes} on the terminal. */
    public void type(String bytes) throws IOException {
        keys.write(bytes.getBytes(UTF_8));
        keys.flush();
    }

    /** How much the terminal showed so far: an offset for {@link #await}. */
    public synchronized int mark() {
        return text.length();
    }

    /** What the terminal showed from {@code from} to {@code to}. */
    public synchronized String text(int from, int to) {
        return text.substring(from, to);
    }

    /**
     * Waits up to 30 s for {@code regex} in what the terminal showed from {@code from} on. Each
     * look starts a little before where the last one ended, so that megabytes of output are not
     * scanned again and again: a match may be at most {@link #MAX_MATCH} characters long.
     */
    public synchronized Matcher await(String regex, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Pattern pattern = Pattern.compile(regex);
        int start = from;
        while (true) {
            Matcher m = pattern.matcher(text);
            if (m.find(start)) {
                return m;
            }
            start = Math.max(from, text.length() - MAX_MATCH);
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertTrue(left > 0, "never saw /" + regex + "/ after offset " + from + " in: "
                    + text.substring(Math.max(from, text.length() - 4000)));
            wait(left);
        }
    }

    /** Waits for the console to exit; its status, having checked the terminal was restored. */
    public int awaitExit() throws InterruptedException, IOException {
        if (jobShell) {
            // The job's status, and the settings then, once bash is back at its prompt.
            type("status=$?; echo; echo \"console-status=$status \"; [ \"$(stty -g)\" = \"$before\" ] && echo "
                    + RESTORED.replace("restored", "re''stored") + "; exit\r");
        }
        int status = Integer.parseInt(await("console-status=(\\d+) ", 0).group(1));
        await(RESTORED, 0);
        assertTrue(script.waitFor(30, TimeUnit.SECONDS), "script did not end");
        return status;
    }

    /** The console's JVM, the one java process under script. */
    public Optional<ProcessHandle> console() {
        List<ProcessHandle> java = new ArrayList<>();
        script.descendants().filter(p -> p.info().command().orElse("").endsWith("/java")).forEach(java::add);
        return java.stream().findFirst();
    }

    @Override
    public void close() {
        script.descendants().forEach(ProcessHandle::destroyForcibly);
        script.destroyForcibly();
    }
}
