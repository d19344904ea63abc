package dev.rcon.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * The jars leave out most of BouncyCastle (and the agent's most of JLine and all of
 * jackson-databind), so a class they need and lack would fail only when its path ran, on a host,
 * with a NoClassDefFoundError. jdeps lists every class each class of a jar names; every class
 * reached from rcon's own must be in the jar or the JDK.
 */
@Timeout(120)
class ShadedJarsTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(.+?)\\s*$");

    /**
     * The shaded jar {@code name} beside the module's own jar on the test's class path (the
     * reactor hands this module the module jars), or null before the modules are packaged.
     */
    private static Path shaded(String name, String moduleJarPrefix) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (path.getFileName().toString().startsWith(moduleJarPrefix) && entry.endsWith(".jar")) {
                Path jar = path.resolveSibling(name);
                return Files.isRegularFile(jar) ? jar : null;
            }
        }
        return null;
    }

    @ParameterizedTest
    @CsvSource({"rcon-agent.jar, rcon-agent-", "rcon.jar, rcon-console-"})
    void everyClassTheProgramReachesIsInItsJarOrTheJdk(String name, String moduleJarPrefix) {
        Path jar = shaded(name, moduleJarPrefix);
        assumeTrue(jar != null, name + " is not packaged yet (mvn verify packages it before these tests)");
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "--multi-release", "17",
                "-verbose:class", "-filter:none", jar.toString());
        assertEquals(0, status, out.toString());

        Map<String, Set<String>> names = new HashMap<>();
        Set<String> missing = new HashSet<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.matches()) {
                names.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
                if (m.group(3).equals("not found")) {
                    missing.add(m.group(2));
                }
            }
        }
        ArrayDeque<String> todo = new ArrayDeque<>();
        names.keySet().stream().filter(c -> c.startsWith("dev.rcon.")).forEach(todo::add);
        assertTrue(todo.size() > 100, "only " + todo.size() + " of rcon's classes in " + jar);
        Set<String> reached = new HashSet<>(todo);
        Set<String> lacking = new TreeSet<>();
        while (!todo.isEmpty()) {
            String from = todo.pop();
            for (String to : names.getOrDefault(from, Set.of())) {
                if (missing.contains(to)) {
                    lacking.add(to + " (named by " + from + ")");
                } else if (reached.add(to)) {
                    todo.add(to);
                }
            }
        }
        assertEquals(List.of(), List.copyOf(lacking), jar + " lacks classes its program reaches");
    }
}
