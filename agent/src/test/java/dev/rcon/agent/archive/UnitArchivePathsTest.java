package dev.rcon.agent.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.SystemdUnits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The class-data archive's paths in the units as systemd merges them, and where JLine's native library
 * is extracted, beside it (an empty assignment resets
 * a list). A cache directory that the restricted unit's {@code rcon} user held is given back to
 * root by a recursive chown when the default unit starts again, with whatever rcon (any command
 * of a restricted key) left in it: an archive that maps, its code patched, is then run by root.
 * So the two units must never share the directory of the archive the root agent maps.
 */
@Timeout(30)
class UnitArchivePathsTest {
    private static final Path SYSTEMD = SystemdUnits.DIR;
    private static final Pattern CLASS_ARCHIVE = Pattern.compile("dev\\.rcon\\.agent\\.archive\\.ClassArchive (\\S+)");
    private static final Pattern SHARED = Pattern.compile("-XX:SharedArchiveFile=(\\S+)");
    private static final Pattern NATIVE_LIBRARY = Pattern.compile("-Djline\\.tmpdir=(\\S+)");

    /** The one match of {@code pattern} across {@code lines}. */
    private static String only(Pattern pattern, List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        assertEquals(1, found.size(), "expected one " + pattern + " in " + lines);
        return found.get(0);
    }

    /** The directory of the archive {@code unit}'s agent maps, checked to be the one its start step records and a cache directory of its own. */
    private static Path archiveDirectory(Map<String, List<String>> unit) {
        Path recorded = Path.of(only(CLASS_ARCHIVE, unit.get("ExecStartPre")));
        Path mapped = Path.of(only(SHARED, unit.get("ExecStart")));
        assertEquals(recorded, mapped, "the start step records the archive the agent maps");
        List<Path> caches = unit.getOrDefault("CacheDirectory", List.of()).stream()
                .map(name -> Path.of("/var/cache", name)).toList();
        assertTrue(caches.contains(mapped.getParent()), mapped + " is in a CacheDirectory of the unit's: " + caches);
        return mapped.getParent();
    }

    @Test
    void theRestrictedUnitsUserNeverHoldsTheDirectoryOfTheArchiveTheRootAgentMaps() throws IOException {
        Map<String, List<String>> root = SystemdUnits.merged(SYSTEMD.resolve("rcon-agent.service"));
        Map<String, List<String>> restricted = SystemdUnits.merged(SYSTEMD.resolve("rcon-agent.service"), SYSTEMD.resolve("restricted.conf"));
        assertEquals(List.of("rcon"), restricted.get("User"));
        assertFalse(root.containsKey("User"));

        Path rootArchives = archiveDirectory(root);
        Path rconArchives = archiveDirectory(restricted);
        assertNotEquals(rootArchives, rconArchives, "the root agent's archive directory is also the rcon user's");
        // JLine's native library, which each agent loads, is extracted beside the archive, never into
        // a /tmp that every local user may write, nor into the other unit's directory.
        assertEquals(rootArchives, Path.of(only(NATIVE_LIBRARY, root.get("ExecStart"))));
        assertEquals(rconArchives, Path.of(only(NATIVE_LIBRARY, restricted.get("ExecStart"))));
        for (String name : restricted.get("CacheDirectory")) {
            Path rcons = Path.of("/var/cache", name);
            assertFalse(rootArchives.startsWith(rcons) || rcons.startsWith(rootArchives),
                    "the restricted unit gives " + rcons + " to rcon, and the root agent maps " + rootArchives);
        }
    }
}
