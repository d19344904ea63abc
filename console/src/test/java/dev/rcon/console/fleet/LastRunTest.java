package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every fleet run is recorded; {@code @failed} and friends name its hosts, {@code rcon last} shows it. */
@Timeout(60)
class LastRunTest {
    @TempDir
    Path dir;
    TestFleet fleet;
    Path state;

    @BeforeEach
    void start() throws Exception {
        fleet = TestFleet.start(dir, 3);
        state = dir;
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    /** A state directory an older rcon made 0755 is made 0700 by the next run it records. */
    @Test
    void aStateDirectoryLeftOpenByAnOlderRconIsMadePrivate() throws Exception {
        Path rcon = Files.createDirectories(state.resolve("rcon"));
        Files.setPosixFilePermissions(rcon, PosixFilePermissions.fromString("rwxr-xr-x"));
        ConsoleRun run = fleet.rcon("-H", fleet.host(0), "--", "true");
        assertEquals(0, run.status(), run.err());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rcon)));
    }

    @Test
    void theHostsThatFailedCanBeRunAgainByName() throws Exception {
        // The third agent's command fails: RCON_CONNECTION ends with the agent's port.
        String failOnThird = "[ \"${RCON_CONNECTION##* }\" = " + fleet.agents().get(2).port() + " ] && exit 3; exit 0";
        ConsoleRun first = fleet.rcon("-H", fleet.host(0) + "," + fleet.host(1) + "," + fleet.host(2) + ",127.0.0.1:1", "--", failOnThird);
        assertEquals(2, first.status(), first.err());

        Path file = state.resolve("rcon").resolve(LastRun.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        ConsoleRun failed = fleet.rcon("hosts", "@failed");
        assertEquals(fleet.host(2) + "\n", failed.out(), failed.err());
        assertEquals("127.0.0.1:1\n", fleet.rcon("hosts", "@unreachable").out());
        assertEquals(fleet.host(0) + "\n" + fleet.host(1) + "\n", fleet.rcon("hosts", "@ok").out());
        assertEquals(fleet.host(0) + "\n", fleet.rcon("hosts", "@ok", "-x", fleet.host(1)).out(), "sets combine with -x");

        ConsoleRun again = fleet.rcon("-H", "@failed", "--", "echo", "again");
        assertEquals(fleet.host(2) + ": again\n", again.out(), again.err());
        assertEquals(0, again.status());
        // That run is now the last one: its only host succeeded.
        assertEquals(fleet.host(2) + "\n", fleet.rcon("hosts", "@ok").out());
        ConsoleRun none = fleet.rcon("hosts", "@failed");
        assertEquals(255, none.status());
        assertTrue(none.err().contains("the host list '@failed' names no host"), none.err());
    }

    @Test
    void lastShowsTheRunAndItsHostSets() throws Exception {
        ConsoleRun run = fleet.rcon("-H", fleet.host(0) + ",127.0.0.1:1", "--", "true");
        assertEquals(2, run.status());
        ConsoleRun last = fleet.rcon("last");
        assertEquals(0, last.status(), last.err());
        assertTrue(last.out().startsWith("last run: true\nstarted "), last.out());
        assertTrue(last.out().contains(", 2 hosts, exit status 2\n"), last.out());
        assertTrue(last.out().contains("  @ok              1  " + fleet.host(0) + "\n"), last.out());
        assertTrue(last.out().contains("  @unreachable     1  127.0.0.1:1\n"), last.out());
        ConsoleRun json = fleet.rcon("last", "--json");
        com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals("true", node.get("command").asText());
        assertEquals("ok", node.get("hosts").get(0).get("outcome").asText());
        assertEquals(0, node.get("hosts").get(0).get("code").asInt());
        assertEquals("unreachable", node.get("hosts").get(1).get("outcome").asText());

        assertEquals(0, fleet.rcon("-H", fleet.host(0), "--", "true").status());
        ConsoleRun one = fleet.rcon("last");
        assertTrue(one.out().contains(", 1 host, exit status 0\n"), "as the summary line says '1 host': " + one.out());
    }

    @Test
    void withoutARecordedRunTheSetsAndLastSaySo() throws Exception {
        ConsoleRun last = fleet.rcon("last");
        assertEquals(255, last.status());
        assertEquals("rcon: no fleet run recorded yet in " + state.resolve("rcon") + "\n", last.err());
        ConsoleRun hosts = fleet.rcon("-H", "@failed", "--", "true");
        assertEquals(255, hosts.status());
        assertTrue(hosts.err().contains("@failed names hosts of the last fleet run, and none is recorded in "
                + state.resolve("rcon")), hosts.err());
    }

    @Test
    void anInventoryCannotShadowTheSetsOfTheLastRun() throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts"), "web: a,b\nfailed: c\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Inventory.load(inv, true));
        assertEquals(inv + ":2: group name 'failed' is reserved: @failed names hosts of the last fleet run", e.getMessage());
    }

    @Test
    void anUnreadableRecordIsReportedNotTrusted() throws Exception {
        Files.createDirectories(state.resolve("rcon"));
        Files.writeString(state.resolve("rcon").resolve(LastRun.FILE_NAME), "{\"command\": 1");
        ConsoleRun hosts = fleet.rcon("hosts", "@ok");
        assertEquals(255, hosts.status());
        assertTrue(hosts.err().contains(LastRun.FILE_NAME + ": not a record of a fleet run"), hosts.err());
        assertTrue(new String(Files.readAllBytes(state.resolve("rcon").resolve(LastRun.FILE_NAME)), UTF_8).length() > 0);
    }

    /**
     * A record that is JSON null said "rcon: NullPointerException", a directory "rcon: Is a
     * directory", and a link to /dev/zero ended the console with an OutOfMemoryError.
     */
    @Test
    void aBrokenRecordIsOneLineNamingTheFileWithoutJavaNames() throws Exception {
        Path record = Files.createDirectories(state.resolve("rcon")).resolve(LastRun.FILE_NAME);
        String remedy = " (remove it: the next fleet run records a new one)\n";
        Files.writeString(record, "null");
        assertEquals("rcon: " + record + ": not a record of a fleet run (null)" + remedy, fleet.rcon("hosts", "@ok").err());
        Files.writeString(record, "[]");
        assertEquals("rcon: " + record + ": not a record of a fleet run (at line 1)" + remedy,
                fleet.rcon("hosts", "@ok").err());
        Files.delete(record);
        Files.createSymbolicLink(record, Path.of("/dev/zero"));
        ConsoleRun zero = fleet.rcon("hosts", "@ok");
        assertEquals(255, zero.status());
        assertEquals("rcon: " + record + ": larger than 64 MiB, not a record of a fleet run" + remedy, zero.err());
        Files.delete(record);
        Files.createDirectory(record);
        assertEquals("rcon: " + record + ": cannot read the record of the last fleet run: Is a directory\n",
                fleet.rcon("hosts", "@ok").err());
    }
}
