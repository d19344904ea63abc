package dev.rcon.console.client;

import dev.rcon.common.auth.HostLabel;

/**
 * A host to reach: {@code host}, {@code host:port} or {@code [v6addr]:port}, and the label its
 * key is derived for (RCON1.md 5.1): the host as written unless the inventory names another, so
 * that several names of one host can share its key.
 *
 * @param host the name or address dialled
 * @param label the label, or null for the host's own
 * @param name the host as the operator wrote it, when the inventory dials another address; null
 *        otherwise. Messages name it, since it is what the operator knows the host by.
 */
public record Target(String host, int port, String label, String name) {
    public static final int DEFAULT_PORT = 5022;

    public Target(String host, int port) {
        this(host, port, null, null);
    }

    public Target(String host, int port, String label) {
        this(host, port, label, null);
    }

    public Target {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535 but was " + port + " in '" + host + "'");
        }
    }

    public static Target parse(String text) {
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("host '" + text + "' has an unclosed '['");
            }
            String host = t.substring(1, close);
            String rest = t.substring(close + 1);
            return new Target(host, rest.isEmpty() ? DEFAULT_PORT : port(text, rest.substring(1)));
        }
        int colon = t.indexOf(':');
        if (colon >= 0 && colon == t.lastIndexOf(':')) {
            return new Target(t.substring(0, colon), port(text, t.substring(colon + 1)));
        }
        return new Target(t, DEFAULT_PORT);
    }

    /** This target reached at {@code host} but keyed for {@code label}. */
    public Target labelled(String label) {
        HostLabel.of(label);
        return new Target(host, port, label, name);
    }

    /** This target as written {@code name}, dialled at its address. */
    public Target named(String name) {
        return new Target(host, port, label, name);
    }

    /** The host as the operator wrote it (the name, else the address): scp's HOST in HOST:PATH. */
    public String typed() {
        return name != null ? name : toString();
    }

    /** {@code where} (the address dialled) after the name written, when the inventory mapped one. */
    public String where(String where) {
        return name != null ? name + " (" + where + ")" : where;
    }

    /** The label this host's key is derived for. */
    public HostLabel hostLabel() {
        return HostLabel.of(label != null ? label : host);
    }

    private static int port(String text, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("host '" + text + "' has a port that is not a number");
        }
    }

    /** As messages name the host: {@code web01 (10.0.0.5:5022)}, or the address as written. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return where(port == DEFAULT_PORT && name == null ? h : h + ":" + port);
    }
}
