package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/FLEET.md: in a host file and in the inventory "# starts a comment", also after an entry;
 * and a host list with a port that is no port is refused as a whole, before anything runs.
 */
@Timeout(10)
class HostFileCommentsAndPortsTest {
    @TempDir
    Path dir;

    @Test
    void aCommentAfterAHostInAHostFileIsIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts.txt"), "# rack 1\nweb[01-02]   # the web tier\ndb1#primary\n");
        assertEquals(List.of("web01", "web02", "db1"), new HostList(Inventory.none(dir.resolve("none"))).resolve("^" + file, null));
    }

    @Test
    void aCommentAfterAGroupOrHostLineInTheInventoryIsIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("inv"), "web: web[1-2] # production\nhost web1 address=10.0.0.5  # old box\n");
        Inventory inventory = Inventory.load(file, true);
        assertEquals(List.of("web1", "web2"), new HostList(inventory).resolve("@web", null));
        assertEquals("10.0.0.5", inventory.target("web1").host());
    }

    @Test
    void aPortThatIsNotANumberOrOutOfRangeIsRefusedForTheWholeList() {
        HostList list = new HostList(Inventory.none(dir.resolve("none")));
        assertEquals("host 'web1:abc' has a port that is not a number",
                assertThrows(IllegalArgumentException.class, () -> list.resolve("web[1-2]:abc", null)).getMessage());
        assertEquals("port must be 1 to 65535 but was 0 in 'web01'",
                assertThrows(IllegalArgumentException.class, () -> list.resolve("web[01-02]:0", null)).getMessage());
    }
}
