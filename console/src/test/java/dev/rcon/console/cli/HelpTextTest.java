package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help as it was written. picocli wraps a description or footer line longer than the width and
 * starts the rest at column 0, under the indented lines around it, and it breaks option
 * descriptions wherever a line may break, inside {@code ~/.config} and {@code db[1-3,7]} too.
 */
@Timeout(60)
class HelpTextTest {
    private static final int WIDTH = 80;

    @TempDir
    Path home;

    /** The root and every subcommand help lists, with the arguments that print its help. */
    private static List<CommandLine> shown() {
        List<CommandLine> commands = new ArrayList<>();
        CommandLine root = CommandTree.full(null);
        commands.add(root);
        root.getSubcommands().values().stream().filter(c -> !c.getCommandSpec().usageMessage().hidden())
                .forEach(commands::add);
        return commands;
    }

    private String help(CommandSpec spec) {
        List<String> args = new ArrayList<>();
        if (spec.parent() != null) {
            args.add(spec.name());
        }
        args.add("--help");
        ConsoleRun run = ConsoleRun.run(home, "", args.toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        return run.out();
    }

    @Test
    void everyLineOfEveryDescriptionAndFooterIsPrintedWholeWithinTheWidth() {
        for (CommandLine command : shown()) {
            CommandSpec spec = command.getCommandSpec();
            String help = help(spec);
            List<String> lines = Stream.concat(Stream.of(spec.usageMessage().description()),
                    Stream.of(spec.usageMessage().footer())).filter(line -> !line.isEmpty()).toList();
            for (String line : lines) {
                assertTrue(line.length() <= WIDTH, spec.qualifiedName() + ": longer than " + WIDTH + ": " + line);
                assertTrue(help.lines().anyMatch(line::equals), spec.qualifiedName() + ": not printed whole: '"
                        + line + "' in\n" + help);
            }
            help.lines().forEach(l -> assertTrue(l.length() <= WIDTH, spec.qualifiedName() + ": " + l));
        }
    }

    @Test
    void noWordOfAnOptionsDescriptionIsBrokenAcrossLines() {
        for (CommandLine command : shown()) {
            CommandSpec spec = command.getCommandSpec();
            String help = help(spec);
            for (ArgSpec arg : Stream.concat(spec.options().stream(), spec.positionalParameters().stream()).toList()) {
                for (String description : arg.description()) {
                    for (String word : description.split("\\s+")) {
                        assertTrue(help.contains(word), spec.qualifiedName() + ": '" + word + "' broken in\n" + help);
                    }
                }
            }
        }
    }

    /**
     * The man pages are AsciiDoc made from the same trees: a label "HOST[:PORT]" became
     * {@code _HOST[:PORT]_} in the synopsis, which AsciiDoc took apart, and "[-H=LIST] ]
     * [--inventory=_FILE]" was all that stood where --host had been in rcon(1) and rcon-put(1).
     */
    @Test
    void noParameterLabelHoldsBracketsThatTheManPagesSynopsisWouldTakeApart() {
        for (CommandLine command : shown()) {
            CommandSpec spec = command.getCommandSpec();
            for (ArgSpec arg : Stream.concat(spec.options().stream(), spec.positionalParameters().stream()).toList()) {
                assertFalse(arg.paramLabel().contains("[") || arg.paramLabel().contains("]"),
                        spec.qualifiedName() + ": " + arg.paramLabel());
            }
        }
    }

    @Test
    void theSynopsisShowsTheRemoteCommandAndNoSecondCommandLabel() {
        String help = help(CommandTree.full(null).getCommandSpec());
        String synopsis = help.substring(0, help.indexOf("\nRun commands"));
        assertTrue(synopsis.strip().endsWith("[COMMAND...]"), synopsis);
        assertFalse(synopsis.contains("[COMMAND]"), synopsis);
        assertTrue(help.contains("\nSubcommands"), help);
    }
}
