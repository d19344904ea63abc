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
 *     in one log line, instead of one line each
 * @param killGrace the time between TERM and KILL when a command must end
 * @param defaultCommandTimeout applied to commands that set none; {@link Duration#ZERO} for none
 */
public record AgentConfig(List<HostPort> listen, Path authorizedKeys, int maxSessions, int maxChannels,
                          int maxUnauthenticated, int maxUnauthenticatedPerPeer, int maxUnauthenticatedPerNetwork,
                          Duration handshakeTimeout, int penaltyFailures, Duration penalty, int maxTrackedSources,
                          Duration handshakeLogInterval, Duration killGrace, Duration defaultCommandTimeout) {
    public static final int DEFAULT_PORT = 5022;
    public static final Path DEFAULT_AUTHORIZED_KEYS = Path.of("/etc/rcon/authorized_keys");
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;

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
        requireRange("max_unauthenticated_per_network", maxUnauthenticatedPerNetwork, 1, 100_000);
        if (maxUnauthenticatedPerPeer > maxUnauthenticatedPerNetwork) {
            throw new IllegalArgumentException("max_unauthenticated_per_peer must be at most max_unauthenticated_per_network ("
                    + maxUnauthenticatedPerNetwork + ") but was " + maxUnauthenticatedPerPeer);
        }
        requireRange("handshake_timeout_ms", handshakeTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
        requireRange("penalty_failures", penaltyFailures, 1, 100_000);
        requireRange("penalty_ms", penalty, Duration.ofMillis(100), Duration.ofDays(1));
        requireRange("max_tracked_sources", maxTrackedSources, 1, 1_000_000);
        requireRange("handshake_log_interval_ms", handshakeLogInterval, Duration.ofMillis(100), Duration.ofDays(1));
        requireRange("kill_grace_ms", killGrace, Duration.ZERO, Duration.ofMinutes(5));
        requireRange("default_command_timeout_ms", defaultCommandTimeout, Duration.ZERO, Duration.ofDays(365));
    }

    /** The defaults, listening on {@code listen} with keys from {@code authorizedKeys}. */
    public static AgentConfig defaults(List<HostPort> listen, Path authorizedKeys) {
        return new AgentConfig(listen, authorizedKeys, 256, 32, 64, 16, 32, Duration.ofMillis(DEFAULT_HANDSHAKE_TIMEOUT_MS), 5,
                Duration.ofSeconds(30), 4096, Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ZERO);
    }

    public AgentConfig withListen(List<HostPort> addresses) {
        return new AgentConfig(addresses, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, maxUnauthenticatedPerNetwork, handshakeTimeout, penaltyFailures, penalty,
                maxTrackedSources, handshakeLogInterval, killGrace, defaultCommandTimeout);
    }

    public AgentConfig withHandshakeTimeout(Duration timeout) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, maxUnauthenticatedPerNetwork, timeout, penaltyFailures, penalty,
                maxTrackedSources, handshakeLogInterval, killGrace, defaultCommandTimeout);
    }

    /** Caps on sessions, channels and handshakes; the per-peer and per-network caps shrink to fit. */
    public AgentConfig withLimits(int sessions, int channels, int unauthenticated) {
        return withUnauthenticated(sessions, channels, unauthenticated, Math.min(unauthenticated, maxUnauthenticatedPerPeer),
                Math.min(unauthenticated, maxUnauthenticatedPerNetwork));
    }

    /** The three caps on connections in their handshake: in all, per address, per network. */
    public AgentConfig withUnauthenticated(int all, int perPeer, int perNetwork) {
        return withUnauthenticated(maxSessions, maxChannels, all, perPeer, perNetwork);
    }

    private AgentConfig withUnauthenticated(int sessions, int channels, int all, int perPeer, int perNetwork) {
        return new AgentConfig(listen, authorizedKeys, sessions, channels, all, perPeer, perNetwork, handshakeTimeout,
                penaltyFailures, penalty, maxTrackedSources, handshakeLogInterval, killGrace, defaultCommandTimeout);
    }

    /** Refuse an address for {@code duration} after {@code failures} failed handshakes. */
    public AgentConfig withPenalty(int failures, Duration duration) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, maxUnauthenticatedPerNetwork, handshakeTimeout, failures, duration,
                maxTrackedSources, handshakeLogInterval, killGrace, defaultCommandTimeout);
    }

    public AgentConfig withHandshakeLogInterval(Duration interval) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, maxUnauthenticatedPerNetwork, handshakeTimeout, penaltyFailures, penalty,
                maxTrackedSources, interval, killGrace, defaultCommandTimeout);
    }

    public AgentConfig withKillGrace(Duration grace) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, maxUnauthenticatedPerNetwork, handshakeTimeout, penaltyFailures, penalty,
                maxTrackedSources, handshakeLogInterval, grace, defaultCommandTimeout);
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
            throw new IllegalArgumentException(field + " must be " + min.toMillis() + " to "
                    + max.toMillis() + " but was " + value.toMillis());
        }
    }
}
