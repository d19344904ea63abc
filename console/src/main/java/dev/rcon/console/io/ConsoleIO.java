package dev.rcon.console.io;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The console's view of its process: streams, environment and terminal, so that tests can run
 * the whole console in-process with their own. Remote output is raw bytes and goes to
 * {@link #out()} and {@link #err()}; the console's own messages go through picocli's writers.
 *
 * @param interrupts how Ctrl-C reaches the console; tests send their own
 * @param stdoutIsTerminal with stdin, decides whether {@code rcon --host H} opens a remote terminal
 */
public record ConsoleIO(InputStream in, OutputStream out, OutputStream err, boolean stdinIsTerminal,
                        boolean stderrIsTerminal, Map<String, String> env, Path home, Interrupts interrupts,
                        boolean stdoutIsTerminal) {

    /** With stdout not a terminal. */
    public ConsoleIO(InputStream in, OutputStream out, OutputStream err, boolean stdinIsTerminal,
                     boolean stderrIsTerminal, Map<String, String> env, Path home, Interrupts interrupts) {
        this(in, out, err, stdinIsTerminal, stderrIsTerminal, env, home, interrupts, false);
    }

    /** Where Ctrl-C comes from. */
    public interface Interrupts {
        /** Runs {@code handler} on each SIGINT until the returned handle is closed. */
        AutoCloseable onInterrupt(Runnable handler);
    }

    /** The process's own streams; its stdin is {@link ReleasableInput}, for {@link #release()}. */
    public static ConsoleIO system() {
        Map<String, String> env = System.getenv();
        // $HOME first, as git and ssh's config lookup do; the JVM's user.home ignores it.
        String home = env.getOrDefault("HOME", "").isEmpty() ? System.getProperty("user.home") : env.get("HOME");
        return new ConsoleIO(new ReleasableInput(new FileInputStream(FileDescriptor.in)), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), isTerminal(0), isTerminal(2), env, Path.of(home),
                SystemInterrupts.INSTANCE, isTerminal(1));
    }

    /**
     * Closes stdin, which releases a thread still blocked reading it, so that the JVM can exit at
     * once: call it last, before {@code System.exit}.
     */
    public void release() {
        try {
            in.close();
        } catch (IOException e) {
            // Exiting anyway; nothing more will read it.
        }
    }

    public Optional<String> getenv(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * Where rcon keeps what it remembers (the line shell's history, the last fleet run):
     * {@code $XDG_STATE_HOME/rcon}, else {@code ~/.local/state/rcon}. A relative XDG_STATE_HOME
     * is ignored, as the XDG spec says: it would put the history in whatever directory rcon
     * was started from.
     */
    public Path stateDir() {
        return getenv("XDG_STATE_HOME").filter(s -> s.startsWith("/")).map(Path::of)
                .orElse(home.resolve(".local/state")).resolve("rcon");
    }

    /** True when file descriptor {@code fd} of this process is a terminal. */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
