package dev.rcon.console.repl;

import dev.rcon.common.msg.Exit;
import dev.rcon.common.wire.PeerText;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import dev.rcon.console.io.RawOutput;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.OutputListener;
import dev.rcon.console.client.Patience;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.RemoteCommand;
import dev.rcon.console.client.RemoteException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rcon --host H} with no command. Builtins: {@code cd [DIR]}, {@code exit [N]},
 * {@code quit}. Anything else runs through the remote {@code /bin/sh} in the current directory.
 */
public final class Shell {
    /** Resolves and checks a directory on the agent, the way the user's shell would. */
    private static final String CD_SCRIPT = "d=$1; case $d in '') d=$HOME;; '~') d=$HOME;; '~/'*) d=$HOME/${d#'~/'};; esac;"
            + " cd -- \"${d:-/}\" 2>/dev/null && pwd";

    /** A directory given to cd alone: quoted whole, or without blanks, quotes or the shell's operators. */
    private static final java.util.regex.Pattern ONE_WORD =
            java.util.regex.Pattern.compile("'[^']*'|\"[^\"]*\"|[^\\s;&|<>()'\"`]+");

    private final RconClient client;
    private final ConsoleIO io;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final Duration timeout;
    private final String startDirectory;
    private String cwd;
    private int lastStatus;

    public Shell(RconClient client, ConsoleIO io, PrintWriter err, Map<String, String> env, Duration timeout) {
        this(client, io, err, env, timeout, null);
    }

    /** @param startDirectory {@code --cwd}: where the shell starts, or null for the home directory */
    public Shell(RconClient client, ConsoleIO io, PrintWriter err, Map<String, String> env, Duration timeout,
                 String startDirectory) {
        this.client = client;
        this.io = io;
        this.err = err;
        this.env = env;
        this.timeout = timeout;
        this.startDirectory = startDirectory;
    }

    /** Runs until exit, quit, EOF; returns the status the console exits with. */
    public int run() throws Exception {
        if (startDirectory != null) {
            // As for one command: an absolute directory that exists, or nothing runs.
            if (!startDirectory.startsWith("/")) {
                throw new IllegalArgumentException("cwd must be an absolute path but was '" + startDirectory + "'");
            }
            cwd = resolve(startDirectory).orElseThrow(() -> new IllegalArgumentException("no such directory: " + startDirectory));
        } else {
            cwd = resolve(null).orElse("/");
        }
        if (io.stdinIsTerminal()) {
            return new LineEditor(this, io).loop();
        }
        return script();
    }

    private int script() throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            Optional<Integer> end = execute(line, new RawOutput(io.out(), io.err()), io.interrupts(), false);
            if (end.isPresent()) {
                return end.get();
            }
        }
        return lastStatus;
    }

    /** All three parts are the host's words (its hello, its cd's output): escaped, as the console's other lines about a host. */
    String prompt() {
        return PeerText.escape(client.hello().user() + "@" + client.hello().host() + ":" + cwd) + "$ ";
    }

    /**
     * Runs one line. Returns the status to exit with when the line ends the shell.
     *
     * @param showStatus whether to print a non-zero exit for a person at a terminal
     */
    Optional<Integer> execute(String line, OutputListener output, ConsoleIO.Interrupts interrupts, boolean showStatus)
            throws Exception {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return Optional.empty();
        }
        List<String> words = List.of(text.split("\\s+", 2));
        switch (words.get(0)) {
            case "exit", "quit" -> {
                return Optional.of(words.size() == 1 ? lastStatus : exitStatus(words.get(1)));
            }
            case "cd" -> {
                if (words.size() > 1 && !ONE_WORD.matcher(words.get(1)).matches()) {
                    // cd /tmp && ls: the shell's, as one command; its cd holds only inside it.
                    return runRemote(text, output, interrupts, showStatus);
                }
                changeDirectory(words.size() == 1 ? null : unquote(words.get(1)));
                return Optional.empty();
            }
            default -> {
                return runRemote(text, output, interrupts, showStatus);
            }
        }
    }

    /**
     * Runs one remote command; the status to end the shell with when the console gave up on the
     * host, as a one-shot does: its end not reported {@link RemoteCommand#GIVE_UP_AFTER_TIMEOUT}
     * past the timeout (255), or the third Ctrl-C (130): see {@link Patience}.
     */
    private Optional<Integer> runRemote(String command, OutputListener output, ConsoleIO.Interrupts interrupts,
                                        boolean showStatus) throws Exception {
        // A lost connection (IO) still propagates.
        try (Patience.Listening listening = new Patience.Listening(interrupts::onInterrupt)) {
            RemoteCommand remote = client.exec(new ExecRequest(command, null, cwd, env, timeout, false), output);
            Patience.End end = listening.started(new Patience(client, remote, timeout)).await();
            if (end.exit() == null) {
                err.println("rcon: " + end.gaveUp());
                err.flush();
                return Optional.of(end.atCtrlC() ? ExitCodes.INTERRUPTED : ExitCodes.COULD_NOT_RUN);
            }
            Exit exit = end.exit();
            lastStatus = ExitCodes.of(exit);
            if (showStatus && lastStatus != 0) {
                err.println("[" + ExitCodes.describe(exit) + "]");
                err.flush();
            }
        } catch (RemoteException e) {
            if (e.code() == dev.rcon.common.wire.ErrorCode.IO) {
                throw e;
            }
            err.println("rcon: " + e.getMessage());
            err.flush();
            lastStatus = ExitCodes.COULD_NOT_RUN;
        }
        return Optional.empty();
    }

    private void changeDirectory(String dir) throws Exception {
        Optional<String> resolved = resolve(dir);
        if (resolved.isPresent()) {
            cwd = resolved.get();
            lastStatus = 0;
        } else {
            err.println("cd: " + (dir == null ? "~" : dir) + ": no such directory (or not permitted)");
            err.flush();
            lastStatus = 1;
        }
    }

    /** The absolute path {@code dir} names on the agent, relative to the current directory. */
    private Optional<String> resolve(String dir) throws Exception {
        ExecRequest request = new ExecRequest(null, List.of("/bin/sh", "-c", CD_SCRIPT, "rcon-cd", dir == null ? "" : dir),
                cwd, env, Duration.ofSeconds(30), false);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Exit exit = client.exec(request, new OutputListener() {
            @Override
            public void stdout(byte[] bytes) {
                stdout.writeBytes(bytes);
            }

            @Override
            public void stderr(byte[] bytes) {
            }
        }).await();
        String path = stdout.toString(StandardCharsets.UTF_8).strip();
        return exit.code() != null && exit.code() == 0 && path.startsWith("/") ? Optional.of(path) : Optional.empty();
    }

    private int exitStatus(String word) {
        try {
            return Integer.parseInt(word.strip()) & 0xFF;
        } catch (NumberFormatException e) {
            err.println("exit: '" + word + "' is not a number; exiting with " + lastStatus);
            err.flush();
            return lastStatus;
        }
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    int lastStatus() {
        return lastStatus;
    }
}
