package dev.rcon.console.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rcon.console.Main;
import dev.rcon.console.io.ConsoleIO;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A console run in this JVM whose Ctrl-C the test presses: its stdout is read line by line as it
 * comes, its stderr kept whole. The run has a thread of its own, never the common pool: the
 * in-process agents learn of their commands' exits through Process.onExit(), whose stages run
 * there, and on JDK 25 a console blocking the pool's only worker (2 cores) held every exit back.
 */
public final class InterruptibleRun {
    private final AtomicReference<Runnable> ctrlC = new AtomicReference<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final BufferedReader lines;

    private InterruptibleRun(Path home, byte[] stdin, String... args) throws IOException {
        PipedInputStream outRead = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(outRead);
        ConsoleIO.Interrupts interrupts = handler -> {
            ctrlC.set(handler);
            return () -> ctrlC.set(null);
        };
        ConsoleIO io = new ConsoleIO(new ByteArrayInputStream(stdin), out, err, false, false, Map.of(), home,
                interrupts);
        lines = new BufferedReader(new InputStreamReader(outRead, UTF_8));
        Thread console = new Thread(() -> status.complete(Main.run(io, args)), "console-under-test");
        console.setDaemon(true);
        console.start();
    }

    /** Starts {@code rcon ARGS} with {@code home} as its home directory. */
    public static InterruptibleRun start(Path home, String... args) throws IOException {
        return new InterruptibleRun(home, new byte[0], args);
    }

    /** As {@link #start}, with {@code stdin} as the console's (never a terminal). */
    public static InterruptibleRun withStdin(Path home, String stdin, String... args) throws IOException {
        return new InterruptibleRun(home, stdin.getBytes(UTF_8), args);
    }

    /** The next line the run wrote on stdout. */
    public String nextLine() throws IOException {
        return lines.readLine();
    }

    /**
     * Ctrl-C, as the console's handler gets it: on a thread of its own, as the JVM delivers each
     * signal, so that a handler that blocks fails the test's assertions instead of hanging it.
     * Waits up to ten seconds for the console to have a handler (a run sets its own once it has
     * connected, which a fake agent may see first), and up to five for the handler.
     */
    public void pressCtrlC() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ctrlC.get() == null && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        Runnable pressed = ctrlC.get();
        if (pressed == null) {
            throw new AssertionError("the console never listened for Ctrl-C");
        }
        Thread handler = new Thread(pressed, "SIGINT handler");
        handler.setDaemon(true);
        handler.start();
        handler.join(5000);
    }

    /** The run's exit status, waiting at most {@code seconds}. */
    public int awaitStatus(int seconds) throws Exception {
        return status.get(seconds, TimeUnit.SECONDS);
    }

    /** What the run wrote on stderr so far. */
    public String err() {
        return err.toString(UTF_8);
    }
}
