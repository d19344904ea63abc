package dev.rcon.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        Path f = dir.resolve("agent.json");
        Files.writeString(f, json);
        return f;
    }

    private String error(String json) throws Exception {
        Path f = file(json);
        String message = assertThrows(IllegalArgumentException.class, () -> ConfigFile.read(f)).getMessage();
        assertTrue(message.startsWith(f + ": "), message);
        return message.substring((f + ": ").length());
    }

    @Test
    void everyFieldIsReadAndTheCommandLineWins() throws Exception {
        ConfigFile config = ConfigFile.read(file("""
                {"listen": ["127.0.0.1:6000", "[::1]:6001"], "authorized_keys": "/etc/rcon/keys",
                 "max_sessions": 10, "max_channels": 4, "max_unauthenticated": 8,
                 "handshake_timeout_ms": 3000, "kill_grace_ms": 1500, "default_command_timeout_ms": 60000}
                """));
        AgentConfig fromFile = config.toAgentConfig(List.of(), null, null);
        assertEquals(List.of(new HostPort("127.0.0.1", 6000), new HostPort("::1", 6001)), fromFile.listen());
        assertEquals(Path.of("/etc/rcon/keys"), fromFile.authorizedKeys());
        assertEquals(10, fromFile.maxSessions());
        assertEquals(4, fromFile.maxChannels());
        assertEquals(Duration.ofMillis(1500), fromFile.killGrace());
        assertEquals(Duration.ofMinutes(1), fromFile.defaultCommandTimeout());
        AgentConfig overridden = config.toAgentConfig(List.of(new HostPort("0.0.0.0", 7)), Path.of("/k"), 500L);
        assertEquals(List.of(new HostPort("0.0.0.0", 7)), overridden.listen());
        assertEquals(Path.of("/k"), overridden.authorizedKeys());
        assertEquals(Duration.ofMillis(500), overridden.handshakeTimeout());
    }

    @Test
    void anEmptyObjectMeansTheDefaults() throws Exception {
        AgentConfig config = ConfigFile.read(file("{}")).toAgentConfig(List.of(), null, null);
        assertEquals(List.of(new HostPort("0.0.0.0", 5022)), config.listen());
        assertEquals(AgentConfig.DEFAULT_AUTHORIZED_KEYS, config.authorizedKeys());
    }

    @Test
    void mistakesNameTheFieldAndTheProblem() throws Exception {
        assertTrue(error("{\"listne\": []}").startsWith("unknown field 'listne' (known: authorized_keys, "));
        assertEquals("listen port must be 0 to 65535 but was 70000", error("{\"listen\": [\"h:70000\"]}"));
        assertEquals("max_channels must be 1 to 1024 but was 0", error("{\"max_channels\": 0}"));
        assertEquals("handshake_timeout must be 100 ms to 300000 ms but was 5 ms", error("{\"handshake_timeout_ms\": 5}"));
        assertTrue(error("{\"max_sessions\": \"many\"}").startsWith("field 'max_sessions': "));
        assertTrue(error("{\"listen\": [").startsWith("not valid JSON at line 1: "));
        assertEquals("expected a JSON object but the file is empty", error(""));
    }

    @Test
    void cgroupsIsAutoUnlessTurnedOffAndNothingElse() throws Exception {
        assertEquals(AgentConfig.Cgroups.AUTO, ConfigFile.read(file("{}")).toAgentConfig(List.of(), null, null).cgroups());
        assertEquals(AgentConfig.Cgroups.OFF,
                ConfigFile.read(file("{\"cgroups\": \"off\"}")).toAgentConfig(List.of(), null, null).cgroups());
        assertEquals(AgentConfig.Cgroups.AUTO,
                ConfigFile.read(file("{\"cgroups\": \"auto\"}")).toAgentConfig(List.of(), null, null).cgroups());
        assertEquals("cgroups must be \"auto\" or \"off\" but was \"on\"", error("{\"cgroups\": \"on\"}"));
        assertEquals("cgroups must be \"auto\" or \"off\" but was \"1\"", error("{\"cgroups\": 1}"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("none.json");
        assertEquals(f + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> ConfigFile.read(f)).getMessage());
    }
}
