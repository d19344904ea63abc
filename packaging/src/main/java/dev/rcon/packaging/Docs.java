package dev.rcon.packaging;

import dev.rcon.agent.AgentMain;
import dev.rcon.console.cli.CommandTree;
import dev.rcon.console.io.ConsoleIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes AsciiDoc man pages for {@code rcon} (section 1, one page per subcommand, as git does)
 * and {@code rcon-agent} (section 8, a daemon), and the bash completion of {@code rcon} (zsh
 * loads it through bashcompinit), all from the same command trees the programs parse with.
 */
public final class Docs {
    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Docs ADOC_DIR COMPLETION_DIR");
        }
        Path adoc = Files.createDirectories(Path.of(args[0]));
        Path completion = Files.createDirectories(Path.of(args[1]));
        CommandLine rcon = CommandTree.full(ConsoleIO.system());
        CommandLine agent = new CommandLine(new AgentMain());
        int status = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, rcon.getCommandSpec(),
                agent.getCommandSpec());
        if (status != 0) {
            throw new IllegalStateException("man page generation failed with status " + status);
        }
        toSection8(adoc);
        Files.writeString(completion.resolve("rcon"), AutoComplete.bash("rcon", rcon), StandardCharsets.UTF_8);
    }

    /** picocli writes every page for section 1; the agent's pages belong in section 8 (daemons). */
    private static void toSection8(Path adoc) throws IOException {
        try (Stream<Path> pages = Files.list(adoc)) {
            for (Path page : pages.filter(p -> p.getFileName().toString().startsWith("rcon-agent")).toList()) {
                String text = Files.readString(page);
                String name = page.getFileName().toString().replace(".adoc", "");
                Files.writeString(page, text.replace("= " + name + "(1)", "= " + name + "(8)")
                        .replace(name + "(1)", name + "(8)"));
            }
        }
    }
}
