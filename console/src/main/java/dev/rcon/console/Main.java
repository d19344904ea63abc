package dev.rcon.console;

import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import dev.rcon.console.cli.CommandTree;
import dev.rcon.console.client.Durations;
import dev.rcon.console.client.SessionPreload;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine;

/** Entry point of {@code rcon}. Users see one-line messages, never stack traces. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ConsoleIO io = ConsoleIO.system();
        // The session's cryptography and codec load on a second thread while picocli builds the command.
        if (CommandTree.connects(args)) {
            SessionPreload.start();
        }
        int status = run(io, args);
        // A thread still reading stdin (an open pipe, the terminal) would hold the exit 300 ms.
        io.release();
        System.exit(status);
    }

    /** Runs the console against {@code io}; returns the exit status. */
    public static int run(ConsoleIO io, String... args) {
        CommandLine cmd = CommandTree.forArgs(io, args);
        cmd.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        cmd.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        // A TypeConversionException, so that picocli says what is wrong with the value and not
        // which Java exception said it.
        cmd.registerConverter(Duration.class, text -> {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        // Words are never read from @files: picocli's expansion ignores "--", so "curl -d @body.json"
        // sent the local file's words as the remote command's, and "-H @failed" read a file named
        // "failed" when one was in the current directory.
        cmd.setExpandAtFiles(false);
        // Only the root: "rcon --host h ls -l" passes -l to ls; "rcon hosts LIST -x X" still parses -x.
        cmd.getCommandSpec().parser().stopAtPositional(true);
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("rcon: " + message(e));
            return ExitCodes.COULD_NOT_RUN;
        });
        cmd.setParameterExceptionHandler((e, argv) -> {
            // The help of the command that was mistyped: "rcon ping --tries x" is explained by rcon ping --help.
            e.getCommandLine().getErr().println("rcon: " + e.getMessage() + " (see "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return ExitCodes.COULD_NOT_RUN;
        });
        cmd.setExecutionStrategy(parsed -> {
            refuseHostsBeforeSubcommand(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        int status = cmd.execute(args);
        cmd.getOut().flush();
        cmd.getErr().flush();
        return status;
    }

    /**
     * {@code rcon --host H last} reads like ssh's {@code ssh H last}, but picocli takes a word that
     * names a subcommand as that subcommand, and every subcommand but put and get ignores the
     * hosts given before it: the local {@code rcon last} ran and exited 0. Refuse it, and say how
     * to run the word on the host.
     */
    private static void refuseHostsBeforeSubcommand(CommandLine.ParseResult root) {
        if (!root.hasSubcommand()) {
            return;
        }
        String sub = root.subcommand().commandSpec().name();
        if (sub.equals("put") || sub.equals("get")) {
            return;
        }
        for (String option : new String[] {"--host", "-H", "-x"}) {
            if (root.hasMatchedOption(option)) {
                // -x only leaves hosts out: the advice for it is where the subcommand takes it.
                String how = option.equals("-x") ? "give -x after it (rcon " + sub + " ... -x LIST), or run '" + sub
                        + "' on hosts with rcon -H LIST -x LIST -- " + sub + " ..."
                        : "to run '" + sub + "' on the host, put -- before it: rcon " + option + " ... -- " + sub + " ...";
                throw new CommandLine.ParameterException(root.commandSpec().commandLine(), "'" + sub
                        + "' is an rcon subcommand, which takes no " + option + " before it; " + how);
            }
        }
    }

    private static String message(Exception e) {
        // The JDK's file exceptions name only the file ("rcon: /nonexist"): say what is wrong with it.
        if (e instanceof java.nio.file.FileSystemException f) {
            // "Already exists" is met here when making a directory (--outdir, a get's target).
            return dev.rcon.common.files.FileErrors.inTheWayOfADirectory(f)
                    .orElseGet(() -> dev.rcon.common.files.FileErrors.message(f));
        }
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }
}
