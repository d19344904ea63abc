package dev.rcon.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the agent is told at start: an immutable record whose constructor checks every
 * component through its {@link Setting}, so that a running agent never meets a bad value and
 * each mistake is an {@link IllegalArgumentException} naming the JSON key and its limit.
 *
 * <p>The settings below are the one table of fields: JSON key, default and limits. To add a
 * field, declare its {@code Setting}, list it in {@link #SETTINGS} (which is what the JSON file
 * accepts), add the record component, and map it in {@link #of} and {@link #values}.
 *
 * @param listen where to accept consoles; port 0 picks a free port
 * @param authorizedKeys the keys allowed in
 * @param maxSessions authenticated sessions open at once; more are told {@code busy}
 * @param maxChannels requests in flight at once in one session
 * @param maxCommands commands running at once across all sessions; more are told {@code busy}
 * @param inputBufferMb MiB of heap set aside for input not yet passed on (a command's stdin or
 *     terminal, a put's data): each request that takes input reserves W0 (4 MiB) of it while it
 *     runs, since the spec lets a console send that much at once; more are told {@code busy}
 * @param maxUnauthenticated connections still in their handshake at once; a newcomer beyond it
 *     displaces the oldest handshake of the network holding the most
 * @param maxUnauthenticatedPerPeer of those, from one address (an IPv6 /64); a newcomer beyond it
 *     displaces that address's oldest handshake, so one peer cannot lock out everyone else
 * @param maxUnauthenticatedPerNetwork of those, from one network (an IPv4 /24, an IPv6 /48);
 *     likewise, so that a few neighbouring addresses cannot either; at least the per-peer cap
 * @param handshakeTimeout the time a connection has to complete its handshake
 * @param penaltyFailures failed handshakes (denied, broken, too slow, displaced) one address may
 *     have within {@code penalty} before it is refused outright
 * @param penalty how long such an address is refused; its failures are forgotten at the same pace
 * @param maxTrackedSources addresses remembered for penalties and for log summaries
 * @param handshakeLogInterval how often repeated handshake failures of one address are summarised
 * @param killGrace the time between TERM and KILL when a command must end
 * @param defaultCommandTimeout applied to commands that set none; zero for none
 * @param cgroups whether each command gets a cgroup of its own when the agent can make one
 * @param auditFile where the audit trail is appended (one chained JSON line per event)
 */
public record AgentConfig(List<HostPort> listen, Path authorizedKeys, int maxSessions, int maxChannels,
                          int maxCommands, int inputBufferMb, int maxUnauthenticated, int maxUnauthenticatedPerPeer,
                          int maxUnauthenticatedPerNetwork, Duration handshakeTimeout, int penaltyFailures,
                          Duration penalty, int maxTrackedSources, Duration handshakeLogInterval, Duration killGrace,
                          Duration defaultCommandTimeout, Cgroups cgroups, Path auditFile) {
    public static final int DEFAULT_PORT = 5022;
    /** A constant expression, so that {@code --help} can quote it. */
    public static final String DEFAULT_AUTHORIZED_KEYS_FILE = "/etc/rcon/authorized_keys";
    /** A constant expression, so that {@code --help} can quote it. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;

    public static final Setting<List<HostPort>> LISTEN =
            Setting.addresses("listen", new HostPort("0.0.0.0", DEFAULT_PORT));
    public static final Setting<Path> AUTHORIZED_KEYS = Setting.path("authorized_keys", DEFAULT_AUTHORIZED_KEYS_FILE);
    public static final Setting<Integer> MAX_SESSIONS = Setting.integer("max_sessions", 256, 1, 100_000);
    public static final Setting<Integer> MAX_CHANNELS = Setting.integer("max_channels", 32, 1, 1024);
    public static final Setting<Integer> MAX_COMMANDS =
            Setting.integer("max_commands", HostLimits.defaultMaxCommands(), 1, 100_000);
    public static final Setting<Integer> INPUT_BUFFER_MB =
            Setting.integer("input_buffer_mb", HostLimits.defaultInputBufferMb(), 4, 1 << 20);
    public static final Setting<Integer> MAX_UNAUTHENTICATED = Setting.integer("max_unauthenticated", 64, 1, 100_000);
    public static final Setting<Integer> MAX_UNAUTHENTICATED_PER_PEER =
            Setting.integer("max_unauthenticated_per_peer", 16, 1, 100_000);
    public static final Setting<Integer> MAX_UNAUTHENTICATED_PER_NETWORK =
            Setting.integer("max_unauthenticated_per_network", 32, 1, 100_000);
    public static final Setting<Duration> HANDSHAKE_TIMEOUT =
            Setting.millis("handshake_timeout_ms", DEFAULT_HANDSHAKE_TIMEOUT_MS, 100, 300_000);
    public static final Setting<Integer> PENALTY_FAILURES = Setting.integer("penalty_failures", 5, 1, 100_000);
    public static final Setting<Duration> PENALTY = Setting.millis("penalty_ms", 30_000, 100, 86_400_000);
    public static final Setting<Integer> MAX_TRACKED_SOURCES =
            Setting.integer("max_tracked_sources", 4096, 1, 1_000_000);
    public static final Setting<Duration> HANDSHAKE_LOG_INTERVAL =
            Setting.millis("handshake_log_interval_ms", 60_000, 100, 86_400_000);
    public static final Setting<Duration> KILL_GRACE = Setting.millis("kill_grace_ms", 2_000, 0, 300_000);
    public static final Setting<Duration> DEFAULT_COMMAND_TIMEOUT =
            Setting.millis("default_command_timeout_ms", 0, 0, Duration.ofDays(365).toMillis());

    public static final Setting<Cgroups> CGROUPS = Setting.of("cgroups", Cgroups.AUTO, (name, node) -> {
        if (!(node instanceof String text)) {
            throw new IllegalArgumentException(name + " must be \"auto\" or \"off\" but was " + Setting.describe(node));
        }
        return Cgroups.parse(name, text);
    }, (name, value) -> value);

    public static final Setting<Path> AUDIT_FILE = Setting.path("audit_file", "/var/log/rcon/audit.jsonl");

    /** Every setting, in the order the documentation lists them; the JSON file knows exactly these keys. */
    public static final List<Setting<?>> SETTINGS = List.of(LISTEN, AUTHORIZED_KEYS, MAX_SESSIONS, MAX_CHANNELS,
            MAX_COMMANDS, INPUT_BUFFER_MB, MAX_UNAUTHENTICATED, MAX_UNAUTHENTICATED_PER_PEER, MAX_UNAUTHENTICATED_PER_NETWORK,
            HANDSHAKE_TIMEOUT, PENALTY_FAILURES, PENALTY, MAX_TRACKED_SOURCES, HANDSHAKE_LOG_INTERVAL, KILL_GRACE,
            DEFAULT_COMMAND_TIMEOUT, CGROUPS, AUDIT_FILE);

    /** Whether commands get cgroups of their own: where the agent can make them, or never. */
    public enum Cgroups {
        AUTO, OFF;

        /** The JSON spelling, {@code "auto"} or {@code "off"}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Cgroups parse(String name, String value) {
            for (Cgroups mode : values()) {
                if (mode.wireName().equals(value)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException(name + " must be \"auto\" or \"off\" but was " + Setting.describe(value));
        }
    }

    public AgentConfig {
        listen = LISTEN.check(listen);
        authorizedKeys = AUTHORIZED_KEYS.check(authorizedKeys);
        MAX_SESSIONS.check(maxSessions);
        MAX_CHANNELS.check(maxChannels);
        MAX_COMMANDS.check(maxCommands);
        INPUT_BUFFER_MB.check(inputBufferMb);
        MAX_UNAUTHENTICATED.check(maxUnauthenticated);
        MAX_UNAUTHENTICATED_PER_PEER.check(maxUnauthenticatedPerPeer);
        MAX_UNAUTHENTICATED_PER_NETWORK.check(maxUnauthenticatedPerNetwork);
        if (maxUnauthenticatedPerPeer > maxUnauthenticatedPerNetwork) {
            throw new IllegalArgumentException(MAX_UNAUTHENTICATED_PER_PEER.key() + " must be at most "
                    + MAX_UNAUTHENTICATED_PER_NETWORK.key() + " (" + maxUnauthenticatedPerNetwork + ") but was "
                    + maxUnauthenticatedPerPeer);
        }
        HANDSHAKE_TIMEOUT.check(handshakeTimeout);
        PENALTY_FAILURES.check(penaltyFailures);
        PENALTY.check(penalty);
        MAX_TRACKED_SOURCES.check(maxTrackedSources);
        HANDSHAKE_LOG_INTERVAL.check(handshakeLogInterval);
        KILL_GRACE.check(killGrace);
        DEFAULT_COMMAND_TIMEOUT.check(defaultCommandTimeout);
        CGROUPS.check(cgroups);
        auditFile = AUDIT_FILE.check(auditFile);
    }

    /** Every setting at its default. */
    public static AgentConfig defaults() {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        SETTINGS.forEach(s -> values.put(s, s.defaultValue()));
        return of(values);
    }

    /** The defaults, listening on {@code listen} with keys from {@code authorizedKeys}. */
    public static AgentConfig defaults(List<HostPort> listen, Path authorizedKeys) {
        return defaults().with(LISTEN, listen).with(AUTHORIZED_KEYS, authorizedKeys);
    }

    /**
     * This configuration with {@code setting} set to {@code value}.
     *
     * @throws IllegalArgumentException naming the setting's key and its limit
     */
    public <T> AgentConfig with(Setting<T> setting, T value) {
        Map<Setting<?>, Object> changed = values();
        if (!changed.containsKey(setting)) {
            throw new IllegalArgumentException("'" + setting.key() + "' is not a setting of the agent");
        }
        changed.put(setting, setting.check(value));
        return of(changed);
    }

    /** Each setting with its value, in the order of {@link #SETTINGS}. */
    public Map<Setting<?>, Object> values() {
        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        values.put(LISTEN, listen);
        values.put(AUTHORIZED_KEYS, authorizedKeys);
        values.put(MAX_SESSIONS, maxSessions);
        values.put(MAX_CHANNELS, maxChannels);
        values.put(MAX_COMMANDS, maxCommands);
        values.put(INPUT_BUFFER_MB, inputBufferMb);
        values.put(MAX_UNAUTHENTICATED, maxUnauthenticated);
        values.put(MAX_UNAUTHENTICATED_PER_PEER, maxUnauthenticatedPerPeer);
        values.put(MAX_UNAUTHENTICATED_PER_NETWORK, maxUnauthenticatedPerNetwork);
        values.put(HANDSHAKE_TIMEOUT, handshakeTimeout);
        values.put(PENALTY_FAILURES, penaltyFailures);
        values.put(PENALTY, penalty);
        values.put(MAX_TRACKED_SOURCES, maxTrackedSources);
        values.put(HANDSHAKE_LOG_INTERVAL, handshakeLogInterval);
        values.put(KILL_GRACE, killGrace);
        values.put(DEFAULT_COMMAND_TIMEOUT, defaultCommandTimeout);
        values.put(CGROUPS, cgroups);
        values.put(AUDIT_FILE, auditFile);
        return values;
    }

    /** The record holding {@code v}'s values; each setting's value must be of its type. */
    static AgentConfig of(Map<Setting<?>, Object> v) {
        return new AgentConfig(get(v, LISTEN), get(v, AUTHORIZED_KEYS), get(v, MAX_SESSIONS), get(v, MAX_CHANNELS),
                get(v, MAX_COMMANDS), get(v, INPUT_BUFFER_MB), get(v, MAX_UNAUTHENTICATED), get(v, MAX_UNAUTHENTICATED_PER_PEER),
                get(v, MAX_UNAUTHENTICATED_PER_NETWORK), get(v, HANDSHAKE_TIMEOUT), get(v, PENALTY_FAILURES),
                get(v, PENALTY), get(v, MAX_TRACKED_SOURCES), get(v, HANDSHAKE_LOG_INTERVAL), get(v, KILL_GRACE),
                get(v, DEFAULT_COMMAND_TIMEOUT), get(v, CGROUPS), get(v, AUDIT_FILE));
    }

    @SuppressWarnings("unchecked") // values() and with() pair each setting with a value of its own type
    private static <T> T get(Map<Setting<?>, Object> values, Setting<T> setting) {
        return (T) values.get(setting);
    }

    public AgentConfig withListen(List<HostPort> addresses) {
        return with(LISTEN, addresses);
    }

    public AgentConfig withHandshakeTimeout(Duration timeout) {
        return with(HANDSHAKE_TIMEOUT, timeout);
    }

    /** Caps on sessions, channels and handshakes; the per-peer and per-network caps shrink to fit. */
    public AgentConfig withLimits(int sessions, int channels, int unauthenticated) {
        return with(MAX_SESSIONS, sessions).with(MAX_CHANNELS, channels)
                .withUnauthenticated(unauthenticated, Math.min(unauthenticated, maxUnauthenticatedPerPeer),
                        Math.min(unauthenticated, maxUnauthenticatedPerNetwork));
    }

    /** The three caps on connections in their handshake: in all, per address, per network. */
    public AgentConfig withUnauthenticated(int all, int perPeer, int perNetwork) {
        Map<Setting<?>, Object> changed = values();
        changed.put(MAX_UNAUTHENTICATED, all);
        changed.put(MAX_UNAUTHENTICATED_PER_PEER, perPeer);
        changed.put(MAX_UNAUTHENTICATED_PER_NETWORK, perNetwork);
        return of(changed);
    }

    /** Refuse an address for {@code duration} after {@code failures} failed handshakes. */
    public AgentConfig withPenalty(int failures, Duration duration) {
        return with(PENALTY_FAILURES, failures).with(PENALTY, duration);
    }

    public AgentConfig withHandshakeLogInterval(Duration interval) {
        return with(HANDSHAKE_LOG_INTERVAL, interval);
    }

    public AgentConfig withKillGrace(Duration grace) {
        return with(KILL_GRACE, grace);
    }

    public AgentConfig withAuditFile(Path file) {
        return with(AUDIT_FILE, file);
    }

    public AgentConfig withCgroups(Cgroups mode) {
        return with(CGROUPS, mode);
    }

    public AgentConfig withMaxCommands(int commands) {
        return with(MAX_COMMANDS, commands);
    }

    public AgentConfig withInputBufferMb(int mb) {
        return with(INPUT_BUFFER_MB, mb);
    }

    /** Requests that may take input at once: one W0 of {@code input_buffer_mb} each. */
    public int maxInputRequests() {
        return (int) (((long) inputBufferMb << 20) / dev.rcon.common.flow.Windows.INITIAL);
    }
}
