package dev.rcon.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
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

    /** The message for {@code json}, which must name the file exactly once, at its start. */
    private String error(String json) throws Exception {
        return error(file(json));
    }

    private static String error(Path f) {
        String message = assertThrows(IllegalArgumentException.class, () -> ConfigFile.read(f)).getMessage();
        assertTrue(message.startsWith(f + ": "), message);
        String rest = message.substring((f + ": ").length());
        assertFalse(rest.contains(f.toString()), "the file is named twice: " + message);
        return rest;
    }

    @Test
    void everyFieldIsRead() throws Exception {
        AgentConfig config = ConfigFile.read(file("""
                {"listen": ["127.0.0.1:6000", "[::1]:6001"], "authorized_keys": "/etc/rcon/keys",
                 "max_sessions": 10, "max_channels": 4, "max_unauthenticated": 8,
                 "max_unauthenticated_per_peer": 2, "max_unauthenticated_per_network": 4,
                 "handshake_timeout_ms": 3000, "penalty_failures": 7, "penalty_ms": 60000,
                 "max_tracked_sources": 100, "handshake_log_interval_ms": 5000,
                 "kill_grace_ms": 1500, "default_command_timeout_ms": 60000, "max_commands": 7,
                 "input_buffer_mb": 64}
                """));
        assertEquals(List.of(new HostPort("127.0.0.1", 6000), new HostPort("::1", 6001)), config.listen());
        assertEquals(Path.of("/etc/rcon/keys"), config.authorizedKeys());
        assertEquals(10, config.maxSessions());
        assertEquals(4, config.maxChannels());
        assertEquals(8, config.maxUnauthenticated());
        assertEquals(2, config.maxUnauthenticatedPerPeer());
        assertEquals(4, config.maxUnauthenticatedPerNetwork());
        assertEquals(Duration.ofSeconds(3), config.handshakeTimeout());
        assertEquals(7, config.penaltyFailures());
        assertEquals(Duration.ofMinutes(1), config.penalty());
        assertEquals(100, config.maxTrackedSources());
        assertEquals(Duration.ofSeconds(5), config.handshakeLogInterval());
        assertEquals(Duration.ofMillis(1500), config.killGrace());
        assertEquals(Duration.ofMinutes(1), config.defaultCommandTimeout());
        assertEquals(7, config.maxCommands());
        assertEquals(64, config.inputBufferMb());
        assertEquals(16, config.maxInputRequests());
    }

    @Test
    void anEmptyObjectMeansTheDefaults() throws Exception {
        AgentConfig config = ConfigFile.read(file("{}"));
        assertEquals(AgentConfig.defaults(), config);
        assertEquals(List.of(new HostPort("0.0.0.0", 5022)), config.listen());
        assertEquals(Path.of("/etc/rcon/authorized_keys"), config.authorizedKeys());
        assertEquals(256, config.maxSessions());
        assertEquals(32, config.maxChannels());
        assertEquals(64, config.maxUnauthenticated());
        assertEquals(16, config.maxUnauthenticatedPerPeer());
        assertEquals(32, config.maxUnauthenticatedPerNetwork());
        assertEquals(Duration.ofSeconds(5), config.handshakeTimeout());
        assertEquals(5, config.penaltyFailures());
        assertEquals(Duration.ofSeconds(30), config.penalty());
        assertEquals(4096, config.maxTrackedSources());
        assertEquals(Duration.ofMinutes(1), config.handshakeLogInterval());
        assertEquals(Duration.ofSeconds(2), config.killGrace());
        assertEquals(Duration.ZERO, config.defaultCommandTimeout());
        assertEquals(HostLimits.defaultMaxCommands(), config.maxCommands());
    }

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnes() throws Exception {
        String known = AgentConfig.SETTINGS.stream().map(Setting::key).sorted().collect(Collectors.joining(", "));
        assertTrue(known.startsWith("audit_file, authorized_keys, cgroups, default_command_timeout_ms, "), known);
        assertEquals("unknown field 'listne' (known: " + known + ")", error("{\"listne\": []}"));
        assertEquals("unknown field 'handshake_timeout' (known: " + known + ")", error("{\"handshake_timeout\": 5000}"));
    }

    @Test
    void aValueOutOfRangeNamesTheJsonKeyAndTheLimit() throws Exception {
        assertEquals("handshake_timeout_ms must be 100 to 300000 but was 5", error("{\"handshake_timeout_ms\": 5}"));
        assertEquals("kill_grace_ms must be 0 to 300000 but was -1", error("{\"kill_grace_ms\": -1}"));
        assertEquals("default_command_timeout_ms must be 0 to 31536000000 but was 31536000001",
                error("{\"default_command_timeout_ms\": 31536000001}"));
        assertEquals("max_sessions must be 1 to 100000 but was 100001", error("{\"max_sessions\": 100001}"));
        assertEquals("max_channels must be 1 to 1024 but was 0", error("{\"max_channels\": 0}"));
        assertEquals("max_unauthenticated must be 1 to 100000 but was 0", error("{\"max_unauthenticated\": 0}"));
        assertEquals("max_unauthenticated_per_peer must be 1 to 100000 but was -3",
                error("{\"max_unauthenticated_per_peer\": -3}"));
        assertEquals("max_commands must be 1 to 100000 but was 0", error("{\"max_commands\": 0}"));
        assertEquals("input_buffer_mb must be 4 to 1048576 but was 3", error("{\"input_buffer_mb\": 3}"));
        assertEquals("max_sessions must be 1 to 100000 but was 99999999999999999999",
                error("{\"max_sessions\": 99999999999999999999}"));
        assertEquals("kill_grace_ms must be 0 to 300000 but was 99999999999999999999",
                error("{\"kill_grace_ms\": 99999999999999999999}"));
        assertEquals("max_unauthenticated_per_network must be 1 to 100000 but was 0",
                error("{\"max_unauthenticated_per_network\": 0}"));
        assertEquals("max_unauthenticated_per_peer must be at most max_unauthenticated_per_network (32) but was 1024",
                error("{\"max_unauthenticated_per_peer\": 1024}"));
        assertEquals("penalty_failures must be 1 to 100000 but was 0", error("{\"penalty_failures\": 0}"));
        assertEquals("penalty_ms must be 100 to 86400000 but was -1", error("{\"penalty_ms\": -1}"));
        assertEquals("max_tracked_sources must be 1 to 1000000 but was 2000000",
                error("{\"max_tracked_sources\": 2000000}"));
        assertEquals("handshake_log_interval_ms must be 100 to 86400000 but was 99",
                error("{\"handshake_log_interval_ms\": 99}"));
    }

    @Test
    void aValueOfTheWrongTypeNamesTheJsonKeyAndWhatItWas() throws Exception {
        assertEquals("max_sessions must be an integer but was \"many\"", error("{\"max_sessions\": \"many\"}"));
        assertEquals("max_sessions must be an integer but was 1.5", error("{\"max_sessions\": 1.5}"));
        assertEquals("max_channels must be an integer but was null", error("{\"max_channels\": null}"));
        assertEquals("max_channels must be an integer but was a list", error("{\"max_channels\": [1]}"));
        assertEquals("handshake_timeout_ms must be an integer (milliseconds) but was \"10s\"",
                error("{\"handshake_timeout_ms\": \"10s\"}"));
        assertEquals("authorized_keys must be a file path but was 5", error("{\"authorized_keys\": 5}"));
        assertEquals("authorized_keys must be a file path but was empty", error("{\"authorized_keys\": \"\"}"));
        assertEquals("authorized_keys must be a file path but was an object", error("{\"authorized_keys\": {}}"));
    }

    @Test
    void fieldsCheckedAgainstEachOtherSeeTheFilesValuesWhateverTheirOrder() throws Exception {
        AgentConfig config = ConfigFile.read(file(
                "{\"max_unauthenticated_per_peer\": 1024, \"max_unauthenticated_per_network\": 1024}"));
        assertEquals(1024, config.maxUnauthenticatedPerPeer());
        assertEquals(1024, config.maxUnauthenticatedPerNetwork());
    }

    @Test
    void cgroupsIsAutoUnlessTurnedOffAndNothingElse() throws Exception {
        assertEquals(AgentConfig.Cgroups.AUTO, ConfigFile.read(file("{}")).cgroups());
        assertEquals(AgentConfig.Cgroups.OFF, ConfigFile.read(file("{\"cgroups\": \"off\"}")).cgroups());
        assertEquals(AgentConfig.Cgroups.AUTO, ConfigFile.read(file("{\"cgroups\": \"auto\"}")).cgroups());
        assertEquals("cgroups must be \"auto\" or \"off\" but was \"on\"", error("{\"cgroups\": \"on\"}"));
        assertEquals("cgroups must be \"auto\" or \"off\" but was 1", error("{\"cgroups\": 1}"));
        // One line, whatever the value holds.
        assertEquals("cgroups must be \"auto\" or \"off\" but was \"a\\u0000\\nb\"", error("{\"cgroups\": \"a\\u0000\\nb\"}"));
    }

    @Test
    void aPathTheSystemCannotNameIsRefusedByItsKey() throws Exception {
        assertEquals("audit_file must be a file path but was \"/a\\u0000b\": Nul character not allowed",
                error("{\"audit_file\": \"/a\\u0000b\"}"));
        assertEquals("authorized_keys must be a file path but was \"\\u0000\": Nul character not allowed",
                error("{\"authorized_keys\": \"\\u0000\"}"));
    }

    @Test
    void aBadListenAddressIsNamed() throws Exception {
        assertEquals("listen must be a list of \"HOST:PORT\" strings but was \"h:1\"", error("{\"listen\": \"h:1\"}"));
        assertEquals("listen[1] must be a \"HOST:PORT\" string but was 5", error("{\"listen\": [\"h:1\", 5]}"));
        assertEquals("listen must name at least one address", error("{\"listen\": []}"));
        assertEquals("listen port must be 0 to 65535 but was 70000", error("{\"listen\": [\"h:70000\"]}"));
        assertEquals("listen address 'h' must be HOST:PORT", error("{\"listen\": [\"h\"]}"));
        assertEquals("listen address 'h:x' has a port that is not a number", error("{\"listen\": [\"h:x\"]}"));
        // Integer.parseInt alone would take these: -0 as port 0 (any free port), +22 as 22.
        assertEquals("listen address 'h:-0' has a port that is not a number", error("{\"listen\": [\"h:-0\"]}"));
        assertEquals("listen address 'h:+22' has a port that is not a number", error("{\"listen\": [\"h:+22\"]}"));
        assertEquals("listen address 'h:' has a port that is not a number", error("{\"listen\": [\"h:\"]}"));
        assertEquals("listen port must be 0 to 65535 but was 123456", error("{\"listen\": [\"h:123456\"]}"));
    }

    @Test
    void aFileThatIsNotOneJsonObjectSaysWhatItHolds() throws Exception {
        assertEquals("expected a JSON object but the file is empty", error(""));
        assertEquals("expected a JSON object but the file is empty", error(" \n\t\n"));
        assertEquals("expected a JSON object but got null", error("null"));
        assertEquals("expected a JSON object but got a list", error("[{}]"));
        assertEquals("expected a JSON object but got 5", error("5"));
        assertEquals("expected one JSON object but more follows at line 2", error("{}\n{}"));
        assertEquals("not valid JSON at line 1: Duplicate field 'max_sessions'",
                error("{\"max_sessions\": 1, \"max_sessions\": 2}"));
        assertEquals("not valid JSON at line 2: Unexpected end-of-input: expected close marker for Array",
                error("{\"listen\": [\n"));
    }

    @Test
    void aFileThatCannotBeReadIsNamedOnce() throws Exception {
        assertEquals("no such file", error(dir.resolve("none.json")));
        assertEquals("cannot be read: Is a directory", error(dir));
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', (byte) 0xe9, '"', ':', '1', '}'});
        assertEquals("expected UTF-8 text but the file has other bytes", error(latin1));
    }

    /** --config /dev/zero read until the heap ran out: the agent neither started nor said why. */
    @Test
    void aFileWithoutEndIsRefusedByItsSize() {
        assertEquals("larger than 1048576 bytes; a configuration is a few lines", error(Path.of("/dev/zero")));
    }

    @Test
    void theCommandLineNamesItsOptionAndOverridesTheFile() throws Exception {
        Setting<Duration> timeout = AgentConfig.HANDSHAKE_TIMEOUT;
        assertEquals("--handshake-timeout must be 100 to 300000 but was 5", assertThrows(IllegalArgumentException.class,
                () -> timeout.check("--handshake-timeout", Duration.ofMillis(5))).getMessage());
        AgentConfig fromFile = ConfigFile.read(file("{\"handshake_timeout_ms\": 3000}"));
        assertEquals(Duration.ofMillis(500), fromFile.with(timeout, Duration.ofMillis(500)).handshakeTimeout());
        assertEquals(Duration.ofSeconds(3), fromFile.handshakeTimeout());
    }

    @Test
    void everySettingIsListedAndEveryKeyIsUnique() throws Exception {
        for (Field f : AgentConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                assertTrue(AgentConfig.SETTINGS.contains(f.get(null)), f.getName() + " is missing from SETTINGS");
            }
        }
        assertEquals(AgentConfig.SETTINGS.size(), AgentConfig.SETTINGS.stream().map(Setting::key).distinct().count());
        Setting<Integer> stray = Setting.integer("max_stray", 1, 1, 2);
        assertEquals("'max_stray' is not a setting of the agent", assertThrows(IllegalArgumentException.class,
                () -> AgentConfig.defaults().with(stray, 1)).getMessage());
    }
}
