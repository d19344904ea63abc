package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.console.io.ConsoleIO;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The root that runs which connect get, built without annotations, parses as the annotated root
 * does: the same options, mixins and positional, the same values from the same arguments, and
 * the same words for the same mistakes.
 */
@Timeout(30)
class QuickRootTest {
    private static final ConsoleIO IO = new ConsoleIO(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream(), false, false, Map.of(), Path.of("/nonexistent"), handler -> () -> { });

    /** Arguments a run that connects may have, each option at least once. */
    private static final List<List<String>> GOOD = List.of(
            List.of("--host", "h1", "--", "true"),
            List.of("--host", "h1:6000", "--key", "/k", "-n", "-t", "-e", "none", "--timeout", "30s",
                    "--connect-timeout", "2m", "--cwd", "/tmp", "--env", "A=1", "--env", "B=2", "ls", "-l"),
            List.of("-T", "--host=h1"),
            List.of("--line-shell", "--host", "h1", "echo", "--", "x"),
            List.of("-ntT", "--host", "h1", "uptime"),
            List.of("-H", "web[1-3]", "-x", "web2", "--inventory", "/inv", "--fanout", "8", "-b", "--json",
                    "--outdir", "/out", "--max-output", "64K", "--timing", "--stdin", "--", "uptime"),
            List.of("--hosts", "@db", "--gather", "hostname"),
            List.of());

    /** Mistakes, each of which picocli must word as for the annotated root. */
    private static final List<List<String>> BAD = List.of(
            List.of("--hots", "h1", "true"),
            List.of("--host"),
            List.of("--host", "h1", "--timeout", "5x", "true"),
            List.of("--host", "h1", "--connect-timeout"),
            List.of("-H", "a", "--fanout", "many", "true"),
            List.of("--host", "h1", "--env", "NOEQUALS", "true"),
            List.of("--host", "h1", "-e", "a", "-e", "b", "true"),
            List.of("--host", "h1", "--host", "h2", "true"),
            List.of("--host", "h1", "-nq", "true"),
            List.of("--key"),
            List.of("-x"));

    @Test
    void itHasTheAnnotatedRootsOptionsMixinsAndPositional() {
        CommandSpec annotated = annotated().getCommandSpec();
        CommandSpec quick = quick().getCommandSpec();
        assertEquals(describe(annotated.options()), describe(quick.options()));
        assertEquals(describe(annotated.positionalParameters()), describe(quick.positionalParameters()));
        assertEquals(mixins(annotated), mixins(quick));
        assertEquals(annotated.name(), quick.name());
    }

    @Test
    void itParsesTheSameArgumentsIntoTheSameValues() throws Exception {
        for (List<String> args : GOOD) {
            String[] argv = args.toArray(String[]::new);
            CommandLine annotated = annotated();
            annotated.parseArgs(argv);
            CommandLine quick = quick();
            quick.parseArgs(argv);
            RconCommand bound = ((QuickRoot) quick.getCommandSpec().userObject()).bind();
            assertEquals(values(annotated.getCommand()), values(bound), args.toString());
        }
    }

    @Test
    void itWordsEveryMistakeAsTheAnnotatedRootDoes() {
        for (List<String> args : BAD) {
            String[] argv = args.toArray(String[]::new);
            String expected = assertThrows(CommandLine.ParameterException.class, () -> annotated().parseArgs(argv),
                    args.toString()).getMessage();
            String actual = assertThrows(CommandLine.ParameterException.class, () -> quick().parseArgs(argv),
                    args.toString()).getMessage();
            assertEquals(expected, actual, args.toString());
        }
    }

    @Test
    void aRunThatConnectsGetsTheQuickRootAndOtherRunsTheAnnotatedOne() {
        assertInstanceOf(QuickRoot.class, CommandTree.forArgs(IO, "--host", "h1", "--", "true").getCommand());
        assertInstanceOf(QuickRoot.class, CommandTree.forArgs(IO, "-H", "a,b", "uptime").getCommand());
        assertInstanceOf(RconCommand.class, CommandTree.forArgs(IO, "--version").getCommand());
        assertInstanceOf(RconCommand.class, CommandTree.forArgs(IO, "--help").getCommand());
        assertInstanceOf(RconCommand.class, CommandTree.forArgs(IO, "keygen").getCommand());
    }

    /**
     * Picocli takes {@code --version=VALUE} (any boolean, or nothing) as {@code --version}: the
     * quick root, which has no version provider, printed nothing and exited 0. Each of these asks
     * for help or the version, so none may get the quick root.
     */
    @Test
    void noArgumentsThatAskForHelpOrTheVersionGetTheQuickRoot() {
        List<List<String>> asks = List.of(List.of("--version"), List.of("--version=true"), List.of("--version=false"),
                List.of("--version="), List.of("--host", "h1", "--version=true", "true"),
                List.of("--host=h1", "--version=", "--", "true"), List.of("-V"), List.of("-nV"), List.of("--help"),
                List.of("--help=true"), List.of("-h"), List.of("--host", "h1", "-nh"));
        for (List<String> args : asks) {
            String[] argv = args.toArray(String[]::new);
            CommandLine.ParseResult parsed = annotated().parseArgs(argv);
            assertEquals(true, parsed.isVersionHelpRequested() || parsed.isUsageHelpRequested(), args.toString());
            assertInstanceOf(RconCommand.class, CommandTree.forArgs(IO, argv).getCommand(), args.toString());
        }
    }

    private static CommandLine annotated() {
        return ConsoleCommandLine.configure(new CommandLine(new RconCommand(IO)), IO);
    }

    private static CommandLine quick() {
        return ConsoleCommandLine.configure(QuickRoot.commandLine(IO), IO);
    }

    /** What parsing depends on, by each argument's longest name: help text is not compared. */
    private static Map<String, List<Object>> describe(List<? extends ArgSpec> args) {
        Map<String, List<Object>> all = new TreeMap<>();
        for (ArgSpec arg : args) {
            // A flag's label (picocli makes one of the field's name) is never shown.
            String label = arg.arity().max() == 0 ? "" : arg.paramLabel();
            List<Object> what = new ArrayList<>(List.of(label, arg.type(), List.of(arg.auxiliaryTypes()),
                    arg.arity(), String.valueOf(arg.defaultValue()), arg.required(), arg.splitRegex(), arg.interactive()));
            String key = arg.paramLabel();
            if (arg instanceof OptionSpec o) {
                key = o.longestName();
                what.addAll(List.of(List.of(o.names()), o.usageHelp(), o.versionHelp(), o.negatable(), o.order() < 0));
            } else if (arg instanceof PositionalParamSpec p) {
                what.add(p.index());
            }
            all.put(key, what);
        }
        return all;
    }

    private static Map<String, List<String>> mixins(CommandSpec spec) {
        Map<String, List<String>> all = new TreeMap<>();
        spec.mixins().forEach((name, mixin) -> all.put(name,
                mixin.options().stream().map(OptionSpec::longestName).sorted().toList()));
        return all;
    }

    /** Every field picocli sets from the annotations, in the command and its mixins, by name. */
    private static Map<String, Object> values(RconCommand rcon) throws IllegalAccessException {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Object holder : List.of(rcon, rcon.keys, rcon.fleet, rcon.fleetMode)) {
            for (Field field : holder.getClass().getDeclaredFields()) {
                if (field.isAnnotationPresent(CommandLine.Option.class)
                        || field.isAnnotationPresent(CommandLine.Parameters.class)) {
                    field.setAccessible(true);
                    all.put(holder.getClass().getSimpleName() + "." + field.getName(), field.get(holder));
                }
            }
        }
        return all;
    }
}
