package dev.rcon.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * rcon-agent's help (and its man page's source) as it was written: picocli wraps a description
 * line longer than the width and starts the rest at column 0, so a sentence broken by hand
 * before the width read as "stays 0600" / "(made empty, ...".
 */
@Timeout(30)
class HelpTextTest {
    private static final int WIDTH = 80;

    private static List<CommandLine> every(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        command.getSubcommands().values().forEach(sub -> all.addAll(every(sub)));
        return all;
    }

    @Test
    void everyDescriptionLineIsPrintedWholeWithinTheWidthAndNoOptionWordIsBroken() {
        for (CommandLine command : every(new CommandLine(new AgentMain()))) {
            CommandSpec spec = command.getCommandSpec();
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            List<String> lines = Stream.concat(Stream.of(spec.usageMessage().description()),
                    Stream.of(spec.usageMessage().footer())).filter(line -> !line.isEmpty()).toList();
            for (String line : lines) {
                assertTrue(help.lines().anyMatch(line::equals), spec.qualifiedName() + ": not printed whole: '"
                        + line + "' in\n" + help);
            }
            help.lines().forEach(l -> assertTrue(l.length() <= WIDTH, spec.qualifiedName() + ": " + l));
            for (ArgSpec arg : Stream.concat(spec.options().stream(), spec.positionalParameters().stream()).toList()) {
                for (String description : arg.description()) {
                    for (String word : description.split("\\s+")) {
                        assertTrue(help.contains(word), spec.qualifiedName() + ": '" + word + "' broken in\n" + help);
                    }
                }
            }
        }
    }

    @Test
    void everyCommandSaysWhatItDoesInASentence() {
        for (CommandLine command : every(new CommandLine(new AgentMain()))) {
            String[] description = command.getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0 && description[0].endsWith("."),
                    command.getCommandSpec().qualifiedName() + ": " + String.join("\n", description));
        }
    }
}
