package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HostFolderTest {
    @Test
    void foldsRunsAndKeepsPadding() {
        assertEquals("web[01-05,07]", HostFolder.fold(List.of("web01", "web02", "web03", "web04", "web05", "web07")));
        assertEquals("10.0.0.[1-3]", HostFolder.fold(List.of("10.0.0.3", "10.0.0.1", "10.0.0.2")));
        assertEquals("web[8-10]", HostFolder.fold(List.of("web8", "web9", "web10")));
        assertEquals("db1", HostFolder.fold(List.of("db1")));
        assertEquals("lb,web[1-2]", HostFolder.fold(List.of("lb", "web1", "web2")));
        assertEquals("h[1-2]:5023", HostFolder.fold(List.of("h1:5023", "h2:5023")));
        assertEquals("n[1-2].dc1", HostFolder.fold(List.of("n1.dc1", "n2.dc1")));
    }

    @Test
    void differentPaddingFoldsSeparatelySoTheFoldExpandsBackExactly() throws Exception {
        List<String> hosts = List.of("web1", "web01", "web02", "web2", "web10");
        String folded = HostFolder.fold(hosts);
        assertEquals("web[1-2,10],web[01-02]", folded);
        assertEquals(Set.copyOf(hosts), new HostList(Inventory.none(Path.of("/nonexistent"))).expand(folded));
    }
}
