package dev.rcon.console.cli;

import dev.rcon.console.io.ConsoleIO;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * rcon's picocli command tree. Picocli builds each command's model from its annotations by
 * reflection, which at a cold start runs in the interpreter: the nine subcommands cost about
 * 40 ms of a 470 ms one-shot (bench/README.md). So a run whose arguments can neither name a
 * subcommand nor ask for help, as {@code rcon --host H -- COMMAND} cannot, gets the root alone.
 * Anything else gets the whole tree, so help and every subcommand behave as they always did. A
 * run that connects gets its root built without reading annotations at all ({@link QuickRoot}).
 */
public final class CommandTree {
    /**
     * The subcommands in the order help lists them. The names decide {@link #needsSubcommands}
     * without reflection; the tree takes each command's name from its annotation, and a test
     * checks that the two agree.
     */
    private static final List<Sub> SUBCOMMANDS = List.of(new Sub("keygen", KeygenCommand::new),
            new Sub("authorize", AuthorizeCommand::new), new Sub("hosts", HostsCommand::new),
            new Sub("ping", PingCommand::new), new Sub("put", CopyCommands.Put::new), new Sub("get", CopyCommands.Get::new),
            new Sub("last", LastCommand::new), new Sub("rotate", RotateCommand::new), new Sub("warmup", WarmupCommand::new));

    private record Sub(String name, Supplier<Object> command) {
    }

    private CommandTree() {
    }

    /** The whole tree: the man pages, the completion, and any run that may need a subcommand. */
    public static CommandLine full(ConsoleIO io) {
        CommandLine root = new CommandLine(new RconCommand(io));
        for (Sub sub : SUBCOMMANDS) {
            root.addSubcommand(sub.command().get());
        }
        return root;
    }

    /** The names {@link #needsSubcommands} looks for, in order. */
    static List<String> names() {
        return SUBCOMMANDS.stream().map(Sub::name).toList();
    }

    /**
     * The tree that running {@code args} needs: the root alone when that cannot change the run,
     * and for a run that connects, the root built without reading annotations ({@link QuickRoot}).
     */
    public static CommandLine forArgs(ConsoleIO io, String... args) {
        if (connects(args)) {
            return QuickRoot.commandLine(io);
        }
        return needsSubcommands(args) ? full(io) : new CommandLine(new RconCommand(io));
    }

    /**
     * Whether running {@code args} will connect to hosts: it gets the root alone and does not ask
     * for the version. It errs towards no, as {@link #needsSubcommands} errs towards yes (a short
     * option cluster with a V in it, such as {@code -eV}, counts as asking for the version, and so
     * does any argument that starts with {@code --version}).
     */
    public static boolean connects(String... args) {
        if (needsSubcommands(args)) {
            return false;
        }
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            // Picocli also takes --version=true, --version=false and --version= as --version.
            if (arg.startsWith("--version") || arg.startsWith("-") && !arg.startsWith("--") && arg.indexOf('V') >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code args} might name a subcommand or ask for help (which lists them). It errs
     * towards yes: it looks at every argument before {@code --}, also those that are values of
     * options or words of the remote command, and at every short-option cluster with an h in it.
     */
    static boolean needsSubcommands(String... args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("help") || arg.startsWith("--help") || arg.startsWith("-") && !arg.startsWith("--")
                    && arg.indexOf('h') >= 0 || SUBCOMMANDS.stream().anyMatch(sub -> sub.name().equals(arg))) {
                return true;
            }
        }
        return false;
    }
}
