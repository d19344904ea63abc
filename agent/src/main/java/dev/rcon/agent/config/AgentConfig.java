package dev.rcon.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the agent is told at start. Immutable and validated here, so that a running agent
 * never meets a bad value: each mistake is an {@link IllegalArgumentException} naming the field
 * and its limit.
 *
 * @param listen where to accept consoles; port 0 picks a free port
 * @param authorizedKeys the keys allowed in
 * @param maxSessions authenticated sessions open at once; more are told {@code busy}
 * @param maxChannels commands running at once in one session
 * @param maxUnauthenticated connections still in their handshake at once; more are closed
 * @param maxUnauthenticatedPerPeer of those, from one address; so that one peer cannot lock
 *     out everyone else
 * @param handshakeTimeout the time a connection has to complete its handshake
 * @param killGrace the time between TERM and KILL when a command must end
 * @param defaultCommandTimeout applied to commands that set none; {@link Duration#ZERO} for none
 * @param cgroups whether each command gets a cgroup of its own when the agent can make one
 */
public record AgentConfig(List<HostPort> listen, Path authorizedKeys, int maxSessions, int maxChannels,
                          int maxUnauthenticated, int maxUnauthenticatedPerPeer, Duration handshakeTimeout,
                          Duration killGrace,
                          Duration defaultCommandTimeout, Cgroups cgroups) {
    public static final int DEFAULT_PORT = 5022;
    public static final Path DEFAULT_AUTHORIZED_KEYS = Path.of("/etc/rcon/authorized_keys");

    /**
     * Where commands are contained. {@code AUTO}: in a cgroup (v2) of their own under the agent's
     * when the agent may create one (systemd with {@code Delegate=yes}), else in a process group;
     * {@code OFF}: always in a process group.
     */
    public enum Cgroups {
        AUTO, OFF;

        /** The JSON spelling, {@code "auto"} or {@code "off"}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Reads the JSON spelling; anything else is an {@link IllegalArgumentException} naming the field. */
        public static Cgroups parse(String value) {
            for (Cgroups mode : values()) {
                if (mode.wireName().equals(value)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("cgroups must be \"auto\" or \"off\" but was \"" + value + "\"");
        }
    }

    public AgentConfig {
        if (listen == null || listen.isEmpty()) {
            throw new IllegalArgumentException("listen must name at least one address");
        }
        listen = List.copyOf(listen);
        if (authorizedKeys == null) {
            throw new IllegalArgumentException("authorized_keys must be set");
        }
        requireRange("max_sessions", maxSessions, 1, 100_000);
        requireRange("max_channels", maxChannels, 1, 1024);
        requireRange("max_unauthenticated", maxUnauthenticated, 1, 100_000);
        requireRange("max_unauthenticated_per_peer", maxUnauthenticatedPerPeer, 1, 100_000);
        requireRange("handshake_timeout", handshakeTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
        requireRange("kill_grace", killGrace, Duration.ZERO, Duration.ofMinutes(5));
        requireRange("default_command_timeout", defaultCommandTimeout, Duration.ZERO, Duration.ofDays(365));
        if (cgroups == null) {
            throw new IllegalArgumentException("cgroups must be \"auto\" or \"off\"");
        }
    }

    /** The defaults, listening on {@code listen} with keys from {@code authorizedKeys}. */
    public static AgentConfig defaults(List<HostPort> listen, Path authorizedKeys) {
        return new AgentConfig(listen, authorizedKeys, 256, 32, 64, 16, Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ZERO, Cgroups.AUTO);
    }

    public AgentConfig withListen(List<HostPort> addresses) {
        return new AgentConfig(addresses, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, handshakeTimeout, killGrace, defaultCommandTimeout, cgroups);
    }

    public AgentConfig withHandshakeTimeout(Duration timeout) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, timeout, killGrace, defaultCommandTimeout, cgroups);
    }

    public AgentConfig withLimits(int sessions, int channels, int unauthenticated) {
        return new AgentConfig(listen, authorizedKeys, sessions, channels, unauthenticated,
                Math.min(unauthenticated, maxUnauthenticatedPerPeer), handshakeTimeout, killGrace, defaultCommandTimeout, cgroups);
    }

    public AgentConfig withKillGrace(Duration grace) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, handshakeTimeout, grace, defaultCommandTimeout, cgroups);
    }

    public AgentConfig withCgroups(Cgroups mode) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, handshakeTimeout, killGrace, defaultCommandTimeout, mode);
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be " + min + " to " + max + " but was " + value);
        }
    }

    private static void requireRange(String field, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be set");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be " + min.toMillis() + " ms to "
                    + max.toMillis() + " ms but was " + value.toMillis() + " ms");
        }
    }
}
