package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
    Path keyFile;
    final List<TestAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Key key = TestKeys.fresh("fleet");
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

    private ConsoleRun rcon(String... args) {
        List<String> all = new ArrayList<>(List.of("--key", keyFile.toString()));
        all.addAll(List.of(args));
        return ConsoleRun.run(dir, new ByteArrayInputStream(new byte[0]), Map.of("XDG_STATE_HOME", dir.toString()),
                all.toArray(String[]::new));
    }

    @Test
    void putSendsOneFileToEveryHostAndGetFetchesOnePerHost() throws Exception {
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        Path local = Files.write(dir.resolve("payload.bin"), bytes);
        Path remoteDir = Files.createDirectories(dir.resolve("remote"));
        List<String> hostList = List.of(hosts().split(","));
        // The three agents share this machine, so the three puts land on one path, each atomically.
        ConsoleRun all = rcon("put", "-H", hosts(), "--mode", "0640", local.toString(), remoteDir + "/shared.bin");
        assertEquals(0, all.status(), all.err());
        assertEquals(3, all.out().lines().filter(l -> l.matches("127\\.0\\.0\\.1:\\d+: put 300000 bytes, sha256 [0-9a-f]{64}"))
                .count(), all.out());
        assertTrue(all.err().contains("3 hosts: 3 ok, 0 failed"), all.err());

        Path into = Files.createDirectories(dir.resolve("fetched"));
        ConsoleRun get = rcon("get", "-H", hosts(), remoteDir + "/shared.bin", into.toString());
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
        ConsoleRun put = rcon("put", "-H", hosts() + ",127.0.0.1:1", "--json", local.toString(), "/no/such/dir/f");
        assertEquals(2, put.status(), put.err());
        int failed = 0;
        for (String line : put.out().split("\n")) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (event.get("event").asText().equals("failed") && event.get("status").asText().equals("failed")) {
                failed++;
                assertTrue(event.get("message").asText().contains("/no/such/dir"), line);
            }
        }
        assertEquals(3, failed, put.out());
        assertEquals("127.0.0.1:1\n", rcon("hosts", "@unreachable").out(), "recorded as a fleet run");
    }

    @Test
    void getWithAHostListNeedsADirectory() throws Exception {
        ConsoleRun get = rcon("get", "-H", hosts(), "/etc/hostname", dir.resolve("nothere").toString());
        assertEquals(255, get.status());
        assertEquals("rcon: with -H, LOCAL is a directory that gets one directory per host, and "
                + dir.resolve("nothere") + " is not one\n", get.err());
    }
}
