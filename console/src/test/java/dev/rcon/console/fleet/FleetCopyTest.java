package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rcon put -H} and {@code rcon get -H} against three real agents (on one machine, in their own directories). */
@Timeout(60)
class FleetCopyTest {
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

    @Test
    void putSendsOneFileToEveryHostAndGetFetchesOnePerHost() throws Exception {
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        Path local = Files.write(dir.resolve("payload.bin"), bytes);
        Path remoteDir = Files.createDirectories(dir.resolve("remote"));
        List<String> hostList = List.of(fleet.hosts().split(","));
        // The three agents share this machine, so the three puts land on one path, each atomically.
        ConsoleRun all = fleet.rcon("put", "-H", fleet.hosts(), "--mode", "0640", local.toString(), remoteDir + "/shared.bin");
        assertEquals(0, all.status(), all.err());
        assertEquals(3, all.out().lines().filter(l -> l.matches("127\\.0\\.0\\.1:\\d+: put 300000 bytes, sha256 [0-9a-f]{64}"))
                .count(), all.out());
        assertTrue(all.err().contains("3 hosts: 3 ok, 0 failed"), all.err());

        Path into = Files.createDirectories(dir.resolve("fetched"));
        ConsoleRun get = fleet.rcon("get", "-H", fleet.hosts(), remoteDir + "/shared.bin", into.toString());
        assertEquals(0, get.status(), get.err());
        for (String host : hostList) {
            assertArrayEquals(bytes, Files.readAllBytes(into.resolve(host).resolve("shared.bin")), host);
        }
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(remoteDir.resolve("shared.bin"))));
    }

    @Test
    void aHostThatCannotTakeTheFileFailsAloneWithTheAgentsReason() throws Exception {
        Path local = Files.writeString(dir.resolve("f"), "x");
        ConsoleRun put = fleet.rcon("put", "-H", fleet.hosts() + ",127.0.0.1:1", "--json", local.toString(), "/no/such/dir/f");
        assertEquals(2, put.status(), put.err());
        int failed = 0;
        int unreachable = 0;
        for (String line : put.out().split("\n")) {
            JsonNode event = new ObjectMapper().readTree(line);
            // A copy that reached its agent ended ("done"), well or not; "failed" is a host that could not run it.
            if (event.get("event").asText().equals("done") && event.get("status").asText().equals("failed")) {
                failed++;
                assertTrue(event.get("message").asText().contains("/no/such/dir"), line);
            } else if (event.get("event").asText().equals("failed")) {
                unreachable++;
                assertEquals("unreachable", event.get("status").asText(), line);
            }
        }
        assertEquals(3, failed, put.out());
        assertEquals(1, unreachable, put.out());
        assertEquals("127.0.0.1:1\n", fleet.rcon("hosts", "@unreachable").out(), "recorded as a fleet run");
    }

    @Test
    void getIntoASharedDirectoryNeverWritesThroughALinkOrIntoSomeoneElsesDirectory() throws Exception {
        Path remote = Files.writeString(Files.createDirectories(dir.resolve("remote")).resolve("motd"), "fetched\n");
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path victim = Files.createDirectories(dir.resolve("operators-own"));
        Files.writeString(victim.resolve("motd"), "the operator's\n");
        List<String> hosts = List.of(fleet.hosts().split(","));
        // Planted by another user who made the shared directory first.
        Files.createSymbolicLink(shared.resolve(hosts.get(0)), victim);
        Path theirs = Files.createDirectory(shared.resolve(hosts.get(1)));
        Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        ConsoleRun get = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), shared.toString());

        assertEquals(2, get.status(), get.err());
        assertEquals("the operator's\n", Files.readString(victim.resolve("motd")));
        assertTrue(get.err().contains(shared.resolve(hosts.get(0)) + " is a symbolic link; refusing to write through it"),
                get.err());
        assertTrue(get.err().contains(theirs + " belongs to nobody, not to you; refusing to write in it"), get.err());
        assertFalse(Files.exists(theirs.resolve("motd")));
        Path made = shared.resolve(hosts.get(2));
        assertEquals("fetched\n", Files.readString(made.resolve("motd")));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    }

    @Test
    void getRefusesADirectoryWhereOthersCanRenameAHostsDirectory() throws Exception {
        Path remote = Files.writeString(Files.createDirectories(dir.resolve("remote")).resolve("motd"), "fetched\n");
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Path sticky = Files.createDirectories(dir.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        // LOCALDIR of the operator's own, inside a directory of another user's, who could rename it.
        Path inTheirs = Files.createDirectory(theirs.resolve("logs"));
        // A link planted as LOCALDIR is taken for what it points to, once: its target is checked.
        Path link = Files.createSymbolicLink(dir.resolve("link"), open);

        ConsoleRun intoOpen = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), open.toString());
        ConsoleRun intoTheirs = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), theirs.toString());
        ConsoleRun intoSticky = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), sticky.toString());
        ConsoleRun intoTheirsLogs = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), inTheirs.toString());
        ConsoleRun throughLink = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), link.toString());

        assertEquals(255, intoOpen.status(), intoOpen.err());
        assertEquals("rcon: " + open + " may be written by others and is not sticky: whoever can rename"
                + " in it could swap a host's directory for a link; get into a directory of your own\n", intoOpen.err());
        assertEquals(255, intoTheirs.status(), intoTheirs.err());
        assertTrue(intoTheirs.err().startsWith("rcon: " + theirs + " belongs to nobody: whoever can rename"), intoTheirs.err());
        try (java.util.stream.Stream<Path> left = Files.list(open)) {
            assertEquals(0, left.count());
        }
        assertEquals(0, intoSticky.status(), intoSticky.err());
        assertEquals(255, intoTheirsLogs.status(), intoTheirsLogs.err());
        assertTrue(intoTheirsLogs.err().startsWith("rcon: " + theirs + " belongs to nobody: "), intoTheirsLogs.err());
        assertEquals(255, throughLink.status(), throughLink.err());
        assertTrue(throughLink.err().startsWith("rcon: " + open.toRealPath() + " may be written by others"), throughLink.err());
    }

    @Test
    void getWithAHostListNeedsADirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "mine\n");
        ConsoleRun get = fleet.rcon("get", "-H", fleet.hosts(), "/etc/hostname", file.toString());
        assertEquals(255, get.status());
        assertEquals("rcon: with -H, LOCAL is a directory that gets one directory per host, and "
                + file + " is not one\n", get.err());
        assertEquals("mine\n", Files.readString(file));
    }

    /** As README's "rcon get -H @web /var/log/syslog logs/": a LOCALDIR not there yet is made, 0700, as --outdir. */
    @Test
    void getWithAHostListMakesAMissingDirectory() throws Exception {
        Path remote = Files.writeString(dir.resolve("motd"), "hello\n");
        Path logs = dir.resolve("logs").resolve("today");
        ConsoleRun get = fleet.rcon("get", "-H", fleet.hosts(), remote.toString(), logs + "/");
        assertEquals(0, get.status(), get.err());
        for (String host : fleet.hosts().split(",")) {
            assertEquals("hello\n", Files.readString(logs.resolve(host).resolve("motd")), host);
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)));
    }
}
