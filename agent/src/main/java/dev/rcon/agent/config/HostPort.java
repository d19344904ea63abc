package dev.rcon.agent.config;

import java.net.InetSocketAddress;

/** A listen address as written: {@code HOST:PORT}, {@code [V6]:PORT}, or {@code :PORT} for all. */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen port must be 0 to 65535 but was " + port);
        }
    }

    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address '" + text + "' must be HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        String digits = text.substring(colon + 1);
        // Digits only: parseInt would also take "+22" and "-0".
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("listen address '" + text + "' has a port that is not a number");
        }
        int port = Integer.parseInt(digits);
        return new HostPort(host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
