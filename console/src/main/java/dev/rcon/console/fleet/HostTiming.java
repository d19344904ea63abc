package dev.rcon.console.fleet;

/**
 * Where one host's time went, in milliseconds; -1 for a phase the host never reached.
 *
 * @param connectMs the TCP connect
 * @param authMs the handshake and the agent's hello, after the connect
 * @param firstByteMs from the command sent to its first byte of output
 * @param totalMs the host's whole part of the run
 */
public record HostTiming(long connectMs, long authMs, long firstByteMs, long totalMs) {
    public static HostTiming total(long totalMs) {
        return new HostTiming(-1, -1, -1, totalMs);
    }

    /** {@code connect 1.2 ms, authenticate 3.4 ms, first byte 10 ms, total 120 ms}, leaving out phases not reached. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        phase(sb, "connect", connectMs);
        phase(sb, "authenticate", authMs);
        phase(sb, "first byte", firstByteMs);
        phase(sb, "total", totalMs);
        return sb.toString();
    }

    private static void phase(StringBuilder sb, String name, long ms) {
        if (ms >= 0) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ').append(ms).append(" ms");
        }
    }
}
