package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fleet runs against several real agents on 127.0.0.1, the console run in-process. */
@Timeout(90)
class FleetRunTest {
    @TempDir
    Path dir;
    Key key;
    Path keyFile;
    final List<TestAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        key = TestKeys.fresh("fleet");
        keyFile = TestKeys.keyFile(dir, key);
        for (int i = 0; i < 3; i++) {
            agents.add(TestAgent.withKey(dir, key));
        }
    }

    @AfterEach
    void stop() {
        agents.forEach(TestAgent::close);
    }

    private String hosts() {
        return agents.stream().map(a -> "127.0.0.1:" + a.port()).collect(Collectors.joining(","));
    }

    private ConsoleRun rcon(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--key", keyFile.toString()));
        all.addAll(List.of(args));
        return ConsoleRun.run(dir, new ByteArrayInputStream(stdin.getBytes(UTF_8)), Map.of(), all.toArray(String[]::new));
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void allOkExitsZeroWithPrefixedLinesAndASummary() {
        ConsoleRun r = rcon("", "-H", hosts(), "--", "echo one; echo two");
        assertEquals(0, r.status(), r.err());
        // Hosts interleave; each host's own lines keep their order and carry its prefix.
        for (TestAgent a : agents) {
            String prefix = "127.0.0.1:" + a.port() + ": ";
            assertEquals(List.of(prefix + "one", prefix + "two"),
                    r.out().lines().filter(l -> l.startsWith(prefix)).toList(), r.out());
        }
        assertEquals(6, r.out().lines().count(), r.out());
        assertTrue(r.err().startsWith("rcon: 3 hosts: 3 ok, 0 failed, 0 timed out, 0 unreachable, 0 denied in "), r.err());
    }

    @Test
    void someFailedExitsOneAndSomeUnreachableExitsTwo() throws Exception {
        ConsoleRun failed = rcon("", "-H", hosts(), "--", "test $PPID -eq 0 || exit 4");
        assertEquals(1, failed.status(), failed.err());
        assertTrue(failed.err().contains("!: [exit 4]"), failed.err());
        int dead = deadPort();
        ConsoleRun unreachable = rcon("", "-H", hosts() + ",127.0.0.1:" + dead, "--", "true");
        assertEquals(2, unreachable.status());
        assertTrue(unreachable.err().contains("127.0.0.1:" + dead + "!: [unreachable: connection refused]"), unreachable.err());
        assertTrue(unreachable.err().contains("3 ok, 0 failed, 0 timed out, 1 unreachable, 0 denied"), unreachable.err());
    }

    @Test
    void aDeniedHostIsCountedAsDenied() throws Exception {
        try (TestAgent stranger = TestAgent.withKey(dir, TestKeys.fresh("other"))) {
            ConsoleRun r = rcon("", "-H", hosts() + ",127.0.0.1:" + stranger.port(), "--", "true");
            assertEquals(2, r.status());
            assertTrue(r.err().contains("3 ok, 0 failed, 0 timed out, 0 unreachable, 1 denied"), r.err());
        }
    }

    @Test
    void aDeadPortAndASilentHostDoNotStallTheOthers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String list = "127.0.0.1:" + silent.getLocalPort() + ",127.0.0.1:" + deadPort() + "," + hosts();
            ConsoleRun r = rcon("", "-H", list, "--fanout", "2", "--connect-timeout", "1s", "--", "echo done");
            assertEquals(2, r.status());
            assertEquals(3, r.out().lines().filter(l -> l.endsWith(": done")).count(), r.out());
            assertTrue(r.err().contains("127.0.0.1:" + silent.getLocalPort() + "!: [unreachable: timed out connecting after 1s]"),
                    r.err());
        }
    }

    @Test
    void gatherShowsIdenticalResultsOnceUnderTheirHostSet() {
        ConsoleRun r = rcon("", "-H", hosts(), "-b", "--", "echo same");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("(3)\n"), r.out());
        assertEquals(1, r.out().lines().filter("same"::equals).count(), r.out());
    }

    @Test
    void gatherSeparatesDifferentEndings() throws Exception {
        Path marker = Files.createFile(dir.resolve("marker"));
        ConsoleRun r = rcon("", "-H", hosts(), "-b", "--", "echo same; rm " + marker + " 2>/dev/null && exit 5; exit 0");
        assertEquals(1, r.status());
        // The largest group first, then the one host whose command removed the marker.
        assertTrue(r.out().matches("(?s).*\\(2\\)\n-+\nsame\n.*\\(1\\) exit 5\n-+\nsame\n.*"), r.out());
    }

    /**
     * stderr goes to stderr, apart from the gathered stdout: with stdout to a file or a pager, a
     * group's stderr came without its header, so nothing said which hosts printed it (found by
     * running -b as an operator would, with stdout to a file). Each line now names its hosts,
     * as a live line does with {@code host!:}.
     */
    @Test
    void gatheredStderrNamesTheHostsThatPrintedIt() throws Exception {
        Path marker = Files.createFile(dir.resolve("marker"));
        ConsoleRun r = rcon("", "-H", hosts(), "-b", "--",
                "echo same; if rm " + marker + " 2>/dev/null; then echo special >&2; else echo common >&2; fi");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("rcon: ")).toList();
        assertEquals(2, lines.size(), r.err());
        String special = lines.stream().filter(l -> l.endsWith("!: special")).findFirst().orElseThrow(() -> new AssertionError(r.err()));
        String common = lines.stream().filter(l -> l.endsWith("!: common")).findFirst().orElseThrow(() -> new AssertionError(r.err()));
        String one = special.substring(0, special.length() - "!: special".length());
        List<String> others = new ArrayList<>(List.of(hosts().split(",")));
        assertTrue(others.remove(one), r.err());
        assertEquals(HostFolder.fold(others) + "!: common", common, r.err());
    }

    /**
     * A group's stderr is written with its hosts' prefix in parts, not built whole in memory:
     * prefixing every line of the 16 MiB a host may keep made one array (prefix + 1) times as
     * large (found reviewing 1bda628: 8 MiB of empty stderr lines from one real agent ran a
     * console with a 256 MiB heap out of memory, a stack trace and no summary). A console of its
     * own with a 48 MiB heap gets through 2 MiB of them.
     */
    @Test
    void gatheredStderrOfManyShortLinesIsWrittenInPartsNotBuiltWhole() throws Exception {
        String host = "127.0.0.1:" + agents.get(0).port();
        Path err = dir.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.rcon.console.Main",
                "--key", keyFile.toString(), "-H", host, "-b", "--", "head -c 2097152 /dev/zero | tr '\\0' '\\n' >&2")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        pb.environment().put("HOME", dir.toString());
        Process console = pb.start();
        try {
            assertTrue(console.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the console did not end");
        } finally {
            console.destroyForcibly();
        }
        List<String> notPrefixed;
        long prefixed;
        try (java.util.stream.Stream<String> lines = Files.lines(err)) {
            prefixed = lines.filter(l -> l.equals(host + "!: ")).count();
        }
        try (java.util.stream.Stream<String> lines = Files.lines(err)) {
            notPrefixed = lines.filter(l -> !l.equals(host + "!: ")).limit(20).toList();
        }
        assertEquals(0, console.exitValue(), String.join("\n", notPrefixed));
        assertEquals(2 << 20, prefixed, String.join("\n", notPrefixed));
    }

    @Test
    void jsonEventsParseAndMatchTheRun() throws Exception {
        ConsoleRun r = rcon("", "-H", hosts(), "--json", "--", "printf 'x\\n'; exit 2");
        assertEquals(1, r.status());
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            events.add(mapper.readTree(line));
        }
        assertEquals(3, events.stream().filter(e -> e.path("event").asText().equals("started")).count());
        assertEquals(3, events.stream().filter(e -> e.path("event").asText().equals("stdout")
                && e.path("data").asText().equals("x\n")).count());
        List<JsonNode> done = events.stream().filter(e -> e.path("event").asText().equals("done")).toList();
        assertEquals(3, done.size());
        done.forEach(e -> assertEquals(2, e.path("code").asInt()));
        done.forEach(e -> assertEquals("failed", e.path("status").asText()));
        JsonNode summary = events.get(events.size() - 1);
        assertEquals("summary", summary.path("event").asText());
        assertEquals(3, summary.path("failed").asInt());
        assertEquals(1, summary.path("exit_status").asInt());
    }

    @Test
    void outdirHoldsEachHostsStreamsAndStatus() throws Exception {
        Path out = dir.resolve("out");
        ConsoleRun r = rcon("", "-H", hosts(), "--outdir", out.toString(), "--", "echo o; echo e >&2; exit 3");
        assertEquals(1, r.status());
        for (TestAgent a : agents) {
            String host = "127.0.0.1:" + a.port();
            assertEquals("o\n", Files.readString(out.resolve(host + ".out")));
            assertEquals("e\n", Files.readString(out.resolve(host + ".err")));
            assertEquals("3\n", Files.readString(out.resolve(host + ".status")));
        }
    }

    @Test
    void outdirNeverWritesThroughALinkOrIntoAFileSomeoneElseLeftAndKeepsOutputsPrivate() throws Exception {
        // Another user made the directory (a shared /tmp/out) and left a link and a file of theirs.
        Path out = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path victim = Files.writeString(dir.resolve("precious"), "mine\n");
        String host = "127.0.0.1:" + agents.get(0).port();
        Files.createSymbolicLink(out.resolve(host + ".out"), victim);
        Path theirs = Files.writeString(out.resolve(host + ".err"), "");
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-rw-rw-"));
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            Files.setAttribute(theirs, "unix:uid", 65534);
            Files.setAttribute(out, "unix:uid", 65534);
        }
        ConsoleRun r = rcon("", "-H", host, "--outdir", out.toString(), "--", "echo o; echo e >&2");
        assertEquals(0, r.status(), r.err());
        assertEquals("mine\n", Files.readString(victim), "the output went through the link");
        for (String suffix : List.of(".out", ".err", ".status")) {
            Path file = out.resolve(host + suffix);
            assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS), suffix);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), suffix);
            assertEquals(Files.getOwner(victim), Files.getOwner(file), suffix + " is still the other user's file");
        }
        assertEquals("o\n", Files.readString(out.resolve(host + ".out")));
        assertEquals("e\n", Files.readString(out.resolve(host + ".err")));
        Path made = dir.resolve("made/out");
        assertEquals(0, rcon("", "-H", host, "--outdir", made.toString(), "--", "true").status());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    }

    @Test
    void stdinGoesToEveryHost() {
        ConsoleRun r = rcon("a\nb\n", "-H", hosts(), "--stdin", "--", "wc", "-l");
        assertEquals(3, r.out().lines().filter(l -> l.endsWith(": 2")).count(), r.out());
    }

    @Test
    void hostsPrintsTheExpansion() {
        ConsoleRun r = ConsoleRun.run(dir, "", "hosts", "web[01-03],db[1-2]", "-x", "web02");
        assertEquals("web01\nweb03\ndb1\ndb2\n", r.out());
        ConsoleRun folded = ConsoleRun.run(dir, "", "hosts", "--fold", "web[01-03],web05");
        assertEquals("web[01-03,05]\n", folded.out());
        ConsoleRun bad = ConsoleRun.run(dir, "", "hosts", "web[3-1]");
        assertEquals(255, bad.status());
        assertEquals("rcon: range 3-1 in 'web[3-1]' runs backwards\n", bad.err());
    }

    @Test
    void groupsComeFromTheInventory() throws Exception {
        Path inv = dir.resolve("inventory");
        Files.writeString(inv, "all: " + hosts() + "\n");
        ConsoleRun r = rcon("", "-H", "@all", "--inventory", inv.toString(), "-b", "--", "echo hi");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("(3)"), r.out());
    }

    @Test
    void gatherShowsOutputsThatDifferOnlyByTheHostsNameOnceWithAPlaceholder() throws Exception {
        List<TestAgent> named = new ArrayList<>();
        try {
            for (String address : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
                named.add(TestAgent.listeningAs(dir, key, address));
            }
            String hosts = "127.0.0.2:" + named.get(0).port() + ",127.0.0.3:" + named.get(1).port() + ",127.0.0.4:"
                    + named.get(2).port();
            ConsoleRun r = rcon("", "-H", hosts, "-b", "--", "set -- $RCON_CONNECTION; echo \"I am $3, not 127.0.0.9\"");
            assertEquals(0, r.status(), r.err());
            assertEquals(1, r.out().split("I am", -1).length - 1, "shown once: " + r.out());
            assertTrue(r.out().contains("I am {host}, not 127.0.0.9\n"), r.out());
            assertTrue(r.out().contains(" (3)"), r.out());
        } finally {
            named.forEach(TestAgent::close);
        }
    }
}
