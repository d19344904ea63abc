package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.TestFleet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --max-output} and {@code --timing} against three real agents. */
@Timeout(90)
class FleetLimitsTest {
    /** {@code seq 1 2000000}: 14,888,896 bytes. */
    private static final String BIG = "seq 1 2000000";
    private static final long BIG_BYTES = bytesOfSeq(2_000_000);

    @TempDir
    Path dir;
    TestFleet fleet;

    @BeforeEach
    void start() throws Exception {
        fleet = TestFleet.start(dir, 3);
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    private static long bytesOfSeq(int n) {
        long total = 0;
        for (int i = 1; i <= n; i++) {
            total += String.valueOf(i).length() + 1;
        }
        return total;
    }

    /** {@code rcon -H ALL ARGS}. */
    private ConsoleRun rcon(String... args) {
        List<String> all = new ArrayList<>(List.of("-H", fleet.hosts()));
        all.addAll(List.of(args));
        return fleet.rcon(all.toArray(String[]::new));
    }

    @Test
    void hugeOutputsKeepTheirHeadAndTailAndSayHowMuchWasDropped() throws Exception {
        ConsoleRun run = rcon("--max-output", "64K", "-b", "--", BIG);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().length() < 70_000, "one gathered copy of 64 KiB, not 3 x 15 MB: " + run.out().length());
        assertTrue(run.out().contains("\n1\n2\n3\n"), "the head is intact");
        assertTrue(run.out().endsWith("1999999\n2000000\n"), "the tail is intact");
        Matcher dropped = Pattern.compile("\\[rcon: (\\d+) bytes dropped]").matcher(run.out());
        assertTrue(dropped.find(), run.out().substring(0, 200));
        assertEquals(BIG_BYTES - 64 * 1024, Long.parseLong(dropped.group(1)));
    }

    @Test
    void liveAndJsonOutputsAreBoundedToo() throws Exception {
        ConsoleRun live = rcon("--max-output", "8K", "--", BIG);
        assertEquals(0, live.status(), live.err());
        // Each line of a few digits gets a "127.0.0.1:PORT: " prefix: a few times the 8 KiB, never 45 MB.
        assertTrue(live.out().length() < 3 * 5 * 8192, "bounded live output: " + live.out().length());
        assertEquals(3, live.out().lines().filter(l -> l.matches(".*: \\[rcon: \\d+ bytes dropped]")).count());
        ConsoleRun json = rcon("--max-output", "8K", "--json", "--", BIG);
        assertTrue(json.out().length() < 3 * 4 * 8192, "bounded json output: " + json.out().length());
        assertEquals(3, json.out().split("bytes dropped", -1).length - 1);
    }

    @Test
    void aSizeThatIsNotOneIsRefusedBeforeAnythingRuns() {
        ConsoleRun run = rcon("--max-output", "10X", "--", "touch", dir.resolve("ran").toString());
        assertEquals(255, run.status());
        assertEquals("rcon: --max-output takes a size like 64K, 10M or 1G but got '10X'\n", run.err());
        assertTrue(!dir.resolve("ran").toFile().exists());
    }

    @Test
    void timingShowsWhereEachHostsTimeWent() throws Exception {
        ConsoleRun run = rcon("--timing", "--", "sleep 0.2; echo late");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("rcon: slowest hosts:\n"), run.err());
        Matcher line = Pattern.compile("  127\\.0\\.0\\.1:\\d+ +connect (\\d+) ms, authenticate (\\d+) ms, first byte (\\d+)"
                + " ms, total (\\d+) ms\n").matcher(run.err());
        int lines = 0;
        while (line.find()) {
            lines++;
            assertTrue(Long.parseLong(line.group(3)) >= 200, "first byte after the sleep: " + line.group());
            assertTrue(Long.parseLong(line.group(4)) >= Long.parseLong(line.group(3)));
        }
        assertEquals(3, lines, run.err());
        ConsoleRun json = rcon("--json", "--", "echo", "x");
        for (String event : json.out().split("\n")) {
            JsonNode node = new ObjectMapper().readTree(event);
            if (node.get("event").asText().equals("done")) {
                JsonNode t = node.get("timing");
                assertTrue(t.get("connect_ms").asLong() >= 0 && t.get("auth_ms").asLong() >= 0
                        && t.get("first_byte_ms").asLong() >= 0 && t.get("total_ms").asLong() >= 0, event);
            }
        }
    }
}
