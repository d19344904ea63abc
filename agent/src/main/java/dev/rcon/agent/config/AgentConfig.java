package dev.rcon.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything the agent is told at start. Immutable, and every value has passed its
 * {@link Setting}'s check, so that a running agent never meets a bad one: each mistake is an
 * {@link IllegalArgumentException} naming the JSON key (or command-line option) and its limit.
 *
 * <p>The settings below are the one table of fields: JSON key, default and limits. To add a
 * field, declare its {@code Setting} here, list it in {@link #SETTINGS} (which is what the JSON
 * file accepts) and add a typed accessor; {@link ConfigFile} and the checks need no change.
 */
public final class AgentConfig {
    public static final int DEFAULT_PORT = 5022;
    /** A constant expression, so that {@code --help} can quote it. */
    public static final String DEFAULT_AUTHORIZED_KEYS_FILE = "/etc/rcon/authorized_keys";
    /** A constant expression, so that {@code --help} can quote it. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

    /** Where to accept consoles; port 0 picks a free port. */
    public static final Setting<List<HostPort>> LISTEN =
            Setting.addresses("listen", new HostPort("0.0.0.0", DEFAULT_PORT));
    /** The keys allowed in. */
    public static final Setting<Path> AUTHORIZED_KEYS = Setting.path("authorized_keys", DEFAULT_AUTHORIZED_KEYS_FILE);
    /** Authenticated sessions open at once; more are told {@code busy}. */
    public static final Setting<Integer> MAX_SESSIONS = Setting.integer("max_sessions", 256, 1, 100_000);
    /** Commands running at once in one session. */
    public static final Setting<Integer> MAX_CHANNELS = Setting.integer("max_channels", 32, 1, 1024);
    /** Connections still in their handshake at once; more are closed. */
    public static final Setting<Integer> MAX_UNAUTHENTICATED = Setting.integer("max_unauthenticated", 64, 1, 100_000);
    /** Of those, from one address; so that one peer cannot lock out everyone else. */
    public static final Setting<Integer> MAX_UNAUTHENTICATED_PER_PEER =
            Setting.integer("max_unauthenticated_per_peer", 16, 1, 100_000);
    /** The time a connection has to complete its handshake. */
    public static final Setting<Duration> HANDSHAKE_TIMEOUT =
            Setting.millis("handshake_timeout_ms", DEFAULT_HANDSHAKE_TIMEOUT_MS, 100, 300_000);
    /** The time between TERM and KILL when a command must end. */
    public static final Setting<Duration> KILL_GRACE = Setting.millis("kill_grace_ms", 2_000, 0, 300_000);
    /** Applied to commands that set none; zero for none. */
    public static final Setting<Duration> DEFAULT_COMMAND_TIMEOUT =
            Setting.millis("default_command_timeout_ms", 0, 0, Duration.ofDays(365).toMillis());

    /** Commands running at once across all sessions; more are told {@code busy}. Sized for the host. */
    public static final Setting<Integer> MAX_COMMANDS = Setting.integer("max_commands", defaultMaxCommands(), 1, 100_000);

    /** Every setting, in the order the documentation lists them; the JSON file knows exactly these keys. */
    public static final List<Setting<?>> SETTINGS = List.of(LISTEN, AUTHORIZED_KEYS, MAX_SESSIONS, MAX_CHANNELS,
            MAX_UNAUTHENTICATED, MAX_UNAUTHENTICATED_PER_PEER, HANDSHAKE_TIMEOUT, KILL_GRACE, DEFAULT_COMMAND_TIMEOUT,
            MAX_COMMANDS);

    private static final AgentConfig DEFAULTS = new AgentConfig(
            SETTINGS.stream().collect(Collectors.toMap(s -> s, Setting::defaultValue)));

    private final Map<Setting<?>, Object> values;

    private AgentConfig(Map<Setting<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** Every setting at its default. */
    public static AgentConfig defaults() {
        return DEFAULTS;
    }

    /** The defaults, listening on {@code listen} with keys from {@code authorizedKeys}. */
    public static AgentConfig defaults(List<HostPort> listen, Path authorizedKeys) {
        return DEFAULTS.with(LISTEN, listen).with(AUTHORIZED_KEYS, authorizedKeys);
    }

    /**
     * This configuration with {@code setting} set to {@code value}.
     *
     * @throws IllegalArgumentException naming the setting's key and its limit
     */
    public <T> AgentConfig with(Setting<T> setting, T value) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("'" + setting.key() + "' is not a setting of the agent");
        }
        Map<Setting<?>, Object> changed = new HashMap<>(values);
        changed.put(setting, setting.check(value));
        return new AgentConfig(changed);
    }

    /** The value of {@code setting}. */
    public <T> T get(Setting<T> setting) {
        @SuppressWarnings("unchecked") // with() is the only way in, and it pairs each setting with its T
        T value = (T) values.get(setting);
        return Objects.requireNonNull(value, setting.key());
    }

    public List<HostPort> listen() {
        return get(LISTEN);
    }

    public Path authorizedKeys() {
        return get(AUTHORIZED_KEYS);
    }

    public int maxSessions() {
        return get(MAX_SESSIONS);
    }

    public int maxChannels() {
        return get(MAX_CHANNELS);
    }

    public int maxUnauthenticated() {
        return get(MAX_UNAUTHENTICATED);
    }

    public int maxUnauthenticatedPerPeer() {
        return get(MAX_UNAUTHENTICATED_PER_PEER);
    }

    public Duration handshakeTimeout() {
        return get(HANDSHAKE_TIMEOUT);
    }

    public Duration killGrace() {
        return get(KILL_GRACE);
    }

    public Duration defaultCommandTimeout() {
        return get(DEFAULT_COMMAND_TIMEOUT);
    }

    public int maxCommands() {
        return get(MAX_COMMANDS);
    }

    public AgentConfig withListen(List<HostPort> addresses) {
        return with(LISTEN, addresses);
    }

    public AgentConfig withHandshakeTimeout(Duration timeout) {
        return with(HANDSHAKE_TIMEOUT, timeout);
    }

    /** Caps sessions, channels and handshakes; the per-peer handshake cap never exceeds the total. */
    public AgentConfig withLimits(int sessions, int channels, int unauthenticated) {
        return with(MAX_SESSIONS, sessions).with(MAX_CHANNELS, channels).with(MAX_UNAUTHENTICATED, unauthenticated)
                .with(MAX_UNAUTHENTICATED_PER_PEER, Math.min(unauthenticated, maxUnauthenticatedPerPeer()));
    }

    public AgentConfig withKillGrace(Duration grace) {
        return with(KILL_GRACE, grace);
    }

    public AgentConfig withMaxCommands(int commands) {
        return with(MAX_COMMANDS, commands);
    }

    /**
     * Sized for the host: each command costs the agent up to three threads and itself at least
     * one process, and both count against the kernel's pid and thread limits; a thirty-second of
     * the smaller one leaves the host room to breathe.
     */
    static int defaultMaxCommands() {
        long limit = Math.min(readLong("/proc/sys/kernel/pid_max"), readLong("/proc/sys/kernel/threads-max"));
        return (int) Math.max(32, Math.min(4096, limit / 32));
    }

    /** Reads a /proc number by lines: Files.readString trusts the size 0 /proc reports and gets one byte. */
    private static long readLong(String file) {
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(Path.of(file))) {
            return Long.parseLong(in.readLine().strip());
        } catch (java.io.IOException | RuntimeException e) {
            return 32768;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AgentConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code {listen=[0.0.0.0:5022], authorized_keys=..., ...}}, in the order of {@link #SETTINGS}. */
    @Override
    public String toString() {
        return SETTINGS.stream().map(s -> s.key() + "=" + values.get(s)).collect(Collectors.joining(", ", "{", "}"));
    }
}
