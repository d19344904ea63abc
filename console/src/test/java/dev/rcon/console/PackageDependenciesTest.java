package dev.rcon.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's packages depend one way: cli on repl and fleet, those on io and client, io on
 * client. A cycle would make them impossible to read, test or change one at a time.
 */
@Timeout(10)
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/rcon/console");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.rcon\\.console\\.(\\w+)\\.[A-Z]");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "cli", Set.of("repl", "term", "fleet", "io", "client"),
            "term", Set.of("io", "client"),
            "repl", Set.of("io", "client"),
            "fleet", Set.of("io", "client"),
            "io", Set.of("client"),
            "client", Set.of());

    @Test
    void consolePackagesDependOneWay() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // Main, in the root package, may use any of them.
                }
                String from = relative.getName(0).toString();
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1);
                    if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
                        wrong.add(relative + " uses " + to);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
