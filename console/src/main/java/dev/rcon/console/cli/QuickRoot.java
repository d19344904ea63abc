package dev.rcon.console.cli;

import dev.rcon.console.io.ConsoleIO;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The root command's parser for runs that connect ({@link CommandTree#connects}), built through
 * picocli's programmatic API instead of from {@link RconCommand}'s annotations. Reading an
 * annotation makes the JDK generate a proxy class for its type, and the first costs the proxy
 * machinery's start: building the annotated root took about 70 ms of a cold one-shot against
 * about 30 ms this way (bench/README.md). Such a run never shows help, so this model has no
 * descriptions: the annotations stay the one source of the help, the man pages and the
 * completion. Everything a parse depends on (names, labels, types, arities, defaults, the
 * mixins' names) is the same as the annotated root's, which a test checks option by option and
 * by parsing the same arguments both ways; the values are then copied into a
 * {@link RconCommand}, which runs as it does from the annotated root.
 */
final class QuickRoot implements Callable<Integer> {
    /** The name picocli gives the mixin of {@code mixinStandardHelpOptions}. */
    private static final String HELP_MIXIN = "mixinStandardHelpOptions";
    private final RconCommand rcon;
    private final CommandSpec spec;

    private QuickRoot(ConsoleIO io) {
        rcon = new RconCommand(io);
        spec = CommandSpec.wrapWithoutInspection(this);
        spec.name("rcon");
        // As mixinStandardHelpOptions adds them, which would read picocli's own annotated mixin.
        CommandSpec help = CommandSpec.create();
        help.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).build());
        help.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).build());
        spec.addMixin(HELP_MIXIN, help);
        spec.addOption(option("HOST", String.class, "--host"));
        spec.addMixin("keys", mixin(option("FILE", Path.class, "--key")));
        spec.addMixin("fleet", mixin(option("LIST", String.class, "-H", "--hosts"),
                option("LIST", String.class, "-x"), option("FILE", Path.class, "--inventory")));
        spec.addMixin("fleetMode", mixin(
                OptionSpec.builder("--fanout").paramLabel("N").type(int.class).defaultValue("64").build(),
                flag("-b", "--gather"), flag("--json"), option("DIR", Path.class, "--outdir"),
                option("SIZE", String.class, "--max-output"), flag("--timing"), flag("--stdin")));
        spec.addOption(flag("-n"));
        spec.addOption(flag("-t"));
        spec.addOption(flag("-T", "--line-shell"));
        spec.addOption(OptionSpec.builder("-e").paramLabel("CHAR|none").type(String.class).defaultValue("~").build());
        spec.addOption(option("DURATION", Duration.class, "--timeout"));
        spec.addOption(OptionSpec.builder("--connect-timeout").paramLabel("DURATION").type(Duration.class)
                .defaultValue("10s").build());
        spec.addOption(option("DIR", String.class, "--cwd"));
        spec.addOption(OptionSpec.builder("--env").paramLabel("K=V").type(Map.class)
                .auxiliaryTypes(String.class, String.class).build());
        // As picocli makes the annotated list's: each position takes a word, or none.
        spec.addPositional(PositionalParamSpec.builder().paramLabel("COMMAND").type(List.class)
                .auxiliaryTypes(String.class).index("0..*").arity("0..1").build());
    }

    /** A command line for {@code rcon}'s runs that connect, running as {@link RconCommand} does. */
    static CommandLine commandLine(ConsoleIO io) {
        return new CommandLine(new QuickRoot(io).spec);
    }

    private static OptionSpec option(String label, Class<?> type, String... names) {
        return OptionSpec.builder(names).paramLabel(label).type(type).build();
    }

    private static OptionSpec flag(String... names) {
        return OptionSpec.builder(names).type(boolean.class).initialValue(false).build();
    }

    private static CommandSpec mixin(OptionSpec... options) {
        CommandSpec mixin = CommandSpec.create();
        for (OptionSpec option : options) {
            mixin.addOption(option);
        }
        return mixin;
    }

    /** Runs the parsed command: the values go where picocli puts them from the annotations. */
    @Override
    public Integer call() throws Exception {
        bind();
        return rcon.call();
    }

    /** Copies the parsed values into {@link #rcon}; package-private for the test that compares both ways. */
    RconCommand bind() {
        rcon.spec = spec;
        rcon.host = value("--host");
        rcon.keys.key = value("--key");
        rcon.fleet.hosts = value("--hosts");
        rcon.fleet.exclude = value("-x");
        rcon.fleet.inventory = value("--inventory");
        FleetMode mode = rcon.fleetMode;
        mode.fanout = value("--fanout");
        mode.gather = value("--gather");
        mode.json = value("--json");
        mode.outdir = value("--outdir");
        mode.maxOutput = value("--max-output");
        mode.timing = value("--timing");
        mode.stdin = value("--stdin");
        rcon.noStdin = value("-n");
        rcon.tty = value("-t");
        rcon.noTty = value("--line-shell");
        rcon.escape = value("-e");
        rcon.timeout = value("--timeout");
        rcon.connectTimeout = value("--connect-timeout");
        rcon.cwd = value("--cwd");
        rcon.env = value("--env");
        rcon.command = spec.positionalParameters().get(0).getValue();
        return rcon;
    }

    private <T> T value(String name) {
        return spec.findOption(name).getValue();
    }
}
