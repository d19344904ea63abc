package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * -x leaves a host out also when the list reaches it on a port (pdsh's and clush's -x name
 * hosts), and one host written two ways (web01, WEB01, web01:5022) runs the command once.
 */
@Timeout(10)
class ExcludeAndDuplicatesTest {
    @TempDir
    Path dir;

    private List<String> resolve(String include, String exclude) throws Exception {
        return new HostList(Inventory.none(dir.resolve("hosts"))).resolve(include, exclude);
    }

    @Test
    void excludingAHostByNameLeavesItOutOnEveryPort() throws Exception {
        assertEquals(List.of("web01:15022", "web03:15022"), resolve("web[01-03]:15022", "web02"));
        assertEquals(List.of("web01:15022", "web03:15022"), resolve("web[01-03]:15022", "WEB02"));
    }

    @Test
    void excludingAHostWithAPortLeavesOutThatPortAlone() throws Exception {
        assertEquals(List.of("web01:15022", "web01:15023"), resolve("web01:[15022-15024]", "web01:15024"));
        assertEquals(List.of("web02"), resolve("web01,web02", "web01:5022"));
    }

    @Test
    void oneHostWrittenSeveralWaysRunsOnce() throws Exception {
        assertEquals(List.of("web01", "db1:5023"), resolve("web01,WEB01,web01:5022,db1:5023", null));
    }
}
