package dev.rcon.console.cli;

import dev.rcon.console.client.Durations;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine;

/**
 * How every run's picocli command line behaves, whichever tree {@link CommandTree} gives it: its
 * output streams, the duration converter, no @files, options only before the remote command,
 * one-line errors with the exit codes of {@link ExitCodes}, and no hosts before a subcommand.
 */
public final class ConsoleCommandLine {
    private ConsoleCommandLine() {
    }

    /** The command line that runs {@code args} against {@code io}, configured as every run is. */
    public static CommandLine of(ConsoleIO io, String... args) {
        return configure(CommandTree.forArgs(io, args), io);
    }

    /** Configures {@code cmd}, a tree of rcon's commands, as every run is; returns it. */
    static CommandLine configure(CommandLine cmd, ConsoleIO io) {
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
        return cmd;
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
