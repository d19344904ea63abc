package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exit;
import dev.rcon.console.client.Durations;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import dev.rcon.console.repl.Shell;
import dev.rcon.console.term.RemoteTerminal;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rcon}: one command on a host, or an interactive shell when no command is given. Its
 * subcommands are added by {@link CommandTree}, only for the runs that may need them.
 */
// Every line of the description and footer fits 80 columns: picocli wraps a longer one and starts
// the rest at column 0. The synopsis has no subcommand label: "[COMMAND...] [COMMAND]" read as
// two remote commands; the subcommands have a line of their own and their own heading.
@Command(name = "rcon", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        synopsisSubcommandLabel = "", commandListHeading = "Subcommands (rcon SUBCOMMAND --help):%n",
        description = {"Run commands on hosts that run rcon-agent.", "",
            "  rcon --host H [--] COMMAND...   run one command, exit with its status",
            "  rcon --host H                   the remote login shell on a terminal, as ssh;",
            "                                  -T: the rcon line shell; stdin not a",
            "                                  terminal: a script the remote shell reads",
            "  rcon -H LIST [--] COMMAND...    run on many hosts at once",
            "                                  (rcon hosts LIST shows the hosts first)",
            "  rcon SUBCOMMAND ...             keys, host lists, ping, copies: see below", ""},
        footer = {"", "Exit status: the remote command's, 128+N if signal N ended it, 130 after",
            "Ctrl-C twice, 141 when local stdout closed, 255 if the command could not run",
            "(usage, key, unreachable, refused, denied, timeout connecting).",
            "Fleet runs (-H): 0 all ok, 1 some commands failed or timed out, 2 some hosts",
            "could not run it, 130 interrupted, 255 nothing ran."})
public final class RconCommand implements Callable<Integer> {
    private final ConsoleIO io;

    // Not "HOST[:PORT]": in the man page's AsciiDoc synopsis those brackets swallowed the option.
    @Option(names = "--host", paramLabel = "HOST", description = "Agent to run on: HOST or HOST:PORT (port default 5022).")
    String host;

    @Mixin
    KeyOptions keys = new KeyOptions();

    @Mixin
    FleetOptions fleet = new FleetOptions();

    @Mixin
    FleetMode fleetMode = new FleetMode();

    @Option(names = "-n", description = "Do not forward local stdin (it is forwarded when it is not a terminal).")
    boolean noStdin;

    @Option(names = "-t", description = "Run on a remote terminal, also a COMMAND (full-screen programs: top, vi).")
    boolean tty;

    @Option(names = {"-T", "--line-shell"}, description = "No remote terminal: without a COMMAND, the rcon line shell"
            + " (history, cd; one remote command per line, also for stdin from a pipe).")
    boolean noTty;

    @Option(names = "-e", paramLabel = "CHAR|none", defaultValue = "~",
            description = "Escape character on a remote terminal, at the start of a line: ~. disconnects,"
                    + " ~? lists the escapes. Default: ${DEFAULT-VALUE}.")
    String escape;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "End the remote command (TERM, then KILL) after this long: 30s, 5m, 2h.")
    Duration timeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Give up connecting and authenticating after this long. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Remote working directory (absolute).")
    String cwd;

    @Option(names = "--env", paramLabel = "K=V", description = "Add a variable to the remote environment; repeatable.")
    Map<String, String> env;

    @Parameters(paramLabel = "COMMAND", description = "Command and arguments, joined by spaces and run by the remote /bin/sh.")
    List<String> command;

    @Spec
    CommandSpec spec;

    public RconCommand(ConsoleIO io) {
        this.io = io;
    }

    ConsoleIO io() {
        return io;
    }

    private int escapeCharacter() {
        try {
            return RemoteTerminal.escapeCharacter(escape);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The command, or the remote login shell, on a remote terminal; exits as it did. */
    private int onTerminal(RconClient client, boolean oneShot, int escapeChar) throws Exception {
        ExecRequest request = new ExecRequest(oneShot ? String.join(" ", command) : null, null, cwd,
                RemoteTerminal.withLocale(io.env(), env), timeout, true);
        Optional<Exit> exit = new RemoteTerminal(client, io.in(), io.out(), io.err(), io.stdinIsTerminal(),
                io.getenv("TERM").orElse(null), escapeChar, io.interrupts()::onInterrupt).run(oneShot ? request : RemoteTerminal.loginShell(request));
        PrintWriter err = spec.commandLine().getErr();
        if (exit.isEmpty()) {
            err.println("rcon: disconnected from " + client.target());
            return ExitCodes.COULD_NOT_RUN;
        }
        if (exit.get().timedOut()) {
            err.println("rcon: " + client.target() + ": command timed out after " + Durations.format(timeout)
                    + " and was ended by " + dev.rcon.common.wire.PeerText.escape(exit.get().signal()));
        }
        return ExitCodes.of(exit.get());
    }

    private int runFleet(boolean hasCommand) throws Exception {
        if (tty) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a fleet run (-H) cannot have a terminal (-t)");
        }
        if (host != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --host HOST or -H LIST, not both");
        }
        if (!hasCommand) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a fleet run (-H) needs a COMMAND");
        }
        ExecRequest request = new ExecRequest(String.join(" ", command), null, cwd, env, timeout, false).checked();
        java.util.List<String> hosts = fleet.resolve(io);
        Key key = keys.load(io);
        return fleetMode.run(hosts, fleet.inventory(io)::target, key, request, connectTimeout, io, spec.commandLine().getErr());
    }

    /**
     * Options of fleet runs (-x and every option of {@link FleetMode}, read from the mixin so that
     * a new one is covered too), which a single host would ignore without a word.
     */
    private void refuseFleetOnlyOptions() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        java.util.List<CommandLine.Model.OptionSpec> fleetOnly = new java.util.ArrayList<>(spec.mixins().get("fleetMode").options());
        fleetOnly.add(spec.findOption("-x"));
        for (CommandLine.Model.OptionSpec option : fleetOnly) {
            if (parsed.hasMatchedOption(option)) {
                throw new CommandLine.ParameterException(spec.commandLine(), option.shortestName()
                        + " is for fleet runs (-H LIST); with --host it would do nothing");
            }
        }
    }

    /**
     * {@code rcon --host H < script.sh}: as ssh does, the remote login shell on pipes reads the
     * whole script, so that {@code if}, loops, functions, here-documents and variables span
     * lines. Running each line as a command of its own ran the body of a false {@code if}.
     */
    private ExecRequest scriptShell() {
        ExecRequest shell = RemoteTerminal.loginShell(new ExecRequest(null, null, cwd, env, timeout, true));
        return new ExecRequest(shell.command(), null, shell.cwd(), shell.env(), shell.timeout(), !noStdin);
    }

    @Override
    public Integer call() throws Exception {
        boolean oneShot = command != null && !command.isEmpty();
        if (tty && noTty) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give -t or -T, not both");
        }
        if (fleet.given()) {
            return runFleet(oneShot);
        }
        if (host == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing --host HOST (or -H LIST)");
        }
        refuseFleetOnlyOptions();
        Target target = fleet.inventory(io).target(host);
        // The command, --cwd and --env as an agent would get them (no command: the shell's is short).
        new ExecRequest(oneShot ? String.join(" ", command) : "", null, cwd, env, timeout, false).checked();
        Key key = keys.load(io);
        // As ssh decides: a terminal when asked, or for no command with a terminal on both ends.
        boolean terminal = tty || !noTty && !oneShot && io.stdinIsTerminal() && io.stdoutIsTerminal()
                && RemoteTerminal.supported();
        int escapeChar = terminal ? escapeCharacter() : 0;
        try (RconClient client = RconClient.connect(target, key, connectTimeout)) {
            if (terminal) {
                return onTerminal(client, oneShot, escapeChar);
            }
            if (!oneShot && !noTty && !io.stdinIsTerminal()) {
                return OneShot.run(client, scriptShell(), io, spec.commandLine().getErr());
            }
            if (!oneShot) {
                return new Shell(client, io, spec.commandLine().getErr(), env, timeout, cwd).run();
            }
            boolean forwardStdin = !noStdin && !io.stdinIsTerminal();
            ExecRequest request = new ExecRequest(String.join(" ", command), null, cwd, env, timeout, forwardStdin);
            return OneShot.run(client, request, io, spec.commandLine().getErr());
        }
    }
}
