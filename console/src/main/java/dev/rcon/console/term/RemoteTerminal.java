package dev.rcon.console.term;

import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Pty;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.OutputListener;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.RemoteCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One command on a remote terminal, as {@code ssh -t} runs one: the remote login shell when no
 * command is given. When local stdin is a terminal it goes raw for the duration, its size goes
 * with the request and after every local resize, and the escape character works; in every case
 * the settings are restored before this returns or throws.
 */
public final class RemoteTerminal {
    /** The escape character by default, as ssh's. */
    public static final char DEFAULT_ESCAPE = '~';
    private static final Pattern TERM_NAME = Pattern.compile("[A-Za-z0-9._+-]{1," + Pty.MAX_TERM + "}");
    /** What Debian's ssh sends (SendEnv LANG LC_*) and its sshd accepts (AcceptEnv). */
    private static final Pattern LOCALE_NAME = Pattern.compile("LANG|LC_[A-Z_]{1,32}");

    /**
     * The remote user's login shell in their home directory, as sshd starts it: from the
     * password database (the agent's environment may not name it), with HOME, SHELL, USER and
     * LOGNAME set, as a login shell ({@code -l}, which sh, dash, bash and zsh all take).
     */
    private static final String LOGIN_SHELL = "u=$(id -un); e=$(getent passwd \"$u\"); s=${e##*:};"
            + " h=$(printf '%s' \"$e\" | cut -d: -f6); [ -x \"$s\" ] || s=/bin/sh;"
            + " export HOME=\"${h:-${HOME:-/}}\" SHELL=\"$s\" USER=\"$u\" LOGNAME=\"$u\";";

    private final RconClient client;
    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private final boolean stdinIsTerminal;
    private final String term;
    private final EscapeFilter escapes;
    private final Interrupts interrupts;
    private volatile boolean disconnected;

    /** Where SIGINT from outside reaches the console (keys no longer send it): it disconnects. */
    @FunctionalInterface
    public interface Interrupts {
        /** Runs {@code handler} on each SIGINT until the returned handle is closed. */
        AutoCloseable onInterrupt(Runnable handler);
    }

    /**
     * @param stdinIsTerminal whether {@code in} is the local terminal (raw mode, escapes, size)
     * @param term the local {@code TERM}; {@code dumb} when unset or not a plain terminal name
     * @param escape the escape character, or {@link EscapeFilter#NONE}
     */
    public RemoteTerminal(RconClient client, InputStream in, OutputStream out, OutputStream err,
                          boolean stdinIsTerminal, String term, int escape, Interrupts interrupts) {
        this.interrupts = interrupts;
        this.client = client;
        this.in = in;
        this.out = out;
        this.err = err;
        this.stdinIsTerminal = stdinIsTerminal;
        this.term = term != null && TERM_NAME.matcher(term).matches() ? term : "dumb";
        this.escapes = new EscapeFilter(stdinIsTerminal ? escape : EscapeFilter.NONE);
    }

    /**
     * The escape character an option names: one ASCII character, {@code ^X} for a control
     * character, or {@code none}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static int escapeCharacter(String option) {
        if (option.equals("none")) {
            return EscapeFilter.NONE;
        }
        if (option.length() == 1 && option.charAt(0) > ' ' && option.charAt(0) < 0x7f) {
            return option.charAt(0);
        }
        if (option.length() == 2 && option.charAt(0) == '^' && option.charAt(1) >= '@' && option.charAt(1) <= '_') {
            return option.charAt(1) - '@';
        }
        throw new IllegalArgumentException("-e takes one character, ^X or none, but was '" + option + "'");
    }

    /**
     * The environment of a remote terminal: the local locale ({@code LANG}, {@code LC_*}), as
     * Debian's ssh passes it, so that a person sees the remote side in their language and
     * characters; then {@code given} (--env), which wins. Only terminals get the locale: what
     * commands print for scripts and fleet runs should not change with who runs them, and a
     * locale missing on a host would add setlocale warnings to every command's stderr.
     */
    public static Map<String, String> withLocale(Map<String, String> local, Map<String, String> given) {
        Map<String, String> env = new TreeMap<>();
        local.forEach((name, value) -> {
            if (LOCALE_NAME.matcher(name).matches() && !value.isEmpty()) {
                env.put(name, value);
            }
        });
        if (given != null) {
            env.putAll(given);
        }
        return env;
    }

    /** The request that opens the remote user's login shell, in {@code cwd} if given, else at home. */
    public static ExecRequest loginShell(ExecRequest options) {
        String cd = options.cwd() == null ? " cd \"$HOME\" 2>/dev/null || cd /;" : "";
        return new ExecRequest(LOGIN_SHELL + cd + " exec \"$s\" -l", null, options.cwd(), options.env(),
                options.timeout(), true);
    }

    /**
     * Runs {@code request} on a remote terminal until it exits.
     *
     * @return its exit, or empty when the user disconnected ({@code ~.}, or SIGINT from outside)
     */
    public Optional<Exit> run(ExecRequest request) throws Exception {
        try (LocalTerminal local = stdinIsTerminal ? LocalTerminal.open() : null;
             AutoCloseable interrupt = interrupts.onInterrupt(this::disconnect)) {
            TerminalSize size = local != null ? local.size() : TerminalSize.DEFAULT;
            RemoteCommand command = client.exec(request.onTerminal(new Pty(term, size.cols(), size.rows())),
                    new Screen());
            if (local != null) {
                local.onResize(() -> resize(command, local));
            }
            startKeyboard(command, local);
            return await(command);
        }
    }

    /** Whether the local terminal can be driven here (Linux); elsewhere the line shell stays. */
    public static boolean supported() {
        return LocalTerminal.supported();
    }

    private Optional<Exit> await(RemoteCommand command) throws IOException, InterruptedException {
        try {
            Exit exit = command.await();
            return disconnected ? Optional.empty() : Optional.of(exit);
        } catch (IOException e) {
            if (disconnected) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void resize(RemoteCommand command, LocalTerminal local) {
        TerminalSize size = local.size();
        try {
            command.resize(size.cols(), size.rows());
        } catch (IOException e) {
            // The session is ending; await() says how.
        }
    }

    /** Ends the session: the agent ends the remote command, and await() returns. */
    private void disconnect() {
        disconnected = true;
        client.close();
    }

    /** Remote output straight to the local terminal; credit goes back once it is written. */
    private final class Screen implements OutputListener {
        @Override
        public void stdout(byte[] bytes) {
            write(out, bytes);
        }

        @Override
        public void stderr(byte[] bytes) {
            write(err, bytes);
        }

        private void write(OutputStream stream, byte[] bytes) {
            try {
                stream.write(bytes);
                stream.flush();
            } catch (IOException e) {
                // Nowhere to show the output any more: as a closed terminal would, hang up.
                disconnect();
            }
        }
    }

    /**
     * Copies keystrokes to the remote terminal on a thread of its own, so that typing never
     * waits for output. The end of a local stdin that is not a terminal is the remote EOF
     * character; a local terminal that hangs up ends the session.
     */
    private void startKeyboard(RemoteCommand command, LocalTerminal local) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            EscapeFilter.Sink sink = new EscapeFilter.Sink() {
                @Override
                public void send(byte[] bytes) throws IOException {
                    command.stdin(bytes);
                }

                @Override
                public void help() throws IOException {
                    err.write(escapes.help().getBytes(StandardCharsets.US_ASCII));
                    err.flush();
                }

                @Override
                public void disconnect() {
                    RemoteTerminal.this.disconnect();
                }

                @Override
                public void suspend() throws IOException {
                    // Escapes work only on a local terminal, so there is one here.
                    try {
                        local.suspend();
                        // A resize while stopped signalled the shell that had the terminal, not us:
                        // send the size now, as ssh does, before any key typed after fg.
                        resize(command, local);
                    } catch (IOException e) {
                        // No kill(1): the session goes on, raw again, and says why it did not stop.
                        err.write(("\r\nrcon: cannot suspend: " + e.getMessage() + "\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                        err.flush();
                    }
                }
            };
            try {
                int n;
                while (!command.isDone() && !disconnected && (n = in.read(buf)) >= 0) {
                    escapes.feed(buf, n, sink);
                }
                if (stdinIsTerminal) {
                    disconnect();
                } else {
                    command.closeStdin();
                }
            } catch (IOException e) {
                // The session ended under us; await() says how.
            }
        }, "keyboard-" + client.target());
        t.setDaemon(true);
        t.start();
    }
}
