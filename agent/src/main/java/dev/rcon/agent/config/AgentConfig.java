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
 * @param maxCommands commands running at once across all sessions; more are told {@code busy}
 */
public record AgentConfig(List<HostPort> listen, Path authorizedKeys, int maxSessions, int maxChannels,
                          int maxUnauthenticated, int maxUnauthenticatedPerPeer, Duration handshakeTimeout,
                          Duration killGrace,
                          Duration defaultCommandTimeout, int maxCommands) {
    public static final int DEFAULT_PORT = 5022;
    public static final Path DEFAULT_AUTHORIZED_KEYS = Path.of("/etc/rcon/authorized_keys");

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
        requireRange("max_commands", maxCommands, 1, 100_000);
    }

    /** The defaults, listening on {@code listen} with keys from {@code authorizedKeys}. */
    public static AgentConfig defaults(List<HostPort> listen, Path authorizedKeys) {
        return new AgentConfig(listen, authorizedKeys, 256, 32, 64, 16, Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ZERO, defaultMaxCommands());
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

    public AgentConfig withListen(List<HostPort> addresses) {
        return new AgentConfig(addresses, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, handshakeTimeout, killGrace, defaultCommandTimeout,
                maxCommands);
    }

    public AgentConfig withHandshakeTimeout(Duration timeout) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, timeout, killGrace, defaultCommandTimeout, maxCommands);
    }

    public AgentConfig withLimits(int sessions, int channels, int unauthenticated) {
        return new AgentConfig(listen, authorizedKeys, sessions, channels, unauthenticated,
                Math.min(unauthenticated, maxUnauthenticatedPerPeer), handshakeTimeout, killGrace, defaultCommandTimeout,
                maxCommands);
    }

    public AgentConfig withKillGrace(Duration grace) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, handshakeTimeout, grace, defaultCommandTimeout, maxCommands);
    }

    public AgentConfig withMaxCommands(int commands) {
        return new AgentConfig(listen, authorizedKeys, maxSessions, maxChannels, maxUnauthenticated,
                maxUnauthenticatedPerPeer, handshakeTimeout, killGrace, defaultCommandTimeout, commands);
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
