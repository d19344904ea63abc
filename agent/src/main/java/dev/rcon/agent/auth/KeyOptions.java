package dev.rcon.agent.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The restrictions written before a key line, in a syntax close to OpenSSH's:
 * {@code from="10.0.0.0/8,::1",command="/usr/local/bin/backup",no-files,no-pty,expires=2027-01-31}.
 * Unknown options, bad values, duplicates and contradictions are refused, so that no option is
 * ever silently ignored. {@code manage-keys} hands over this host's authorized keys, which is as
 * good as full access; it cannot stand beside an option that suggests a limited key.
 *
 * @param from source addresses and prefixes the key may come from; empty for anywhere
 * @param command a forced command run instead of the requested one, or null
 * @param noFiles the key may not put or get files
 * @param noPty the key may not open a terminal
 * @param expires the last day the key is accepted, or null for no end
 * @param user the account commands run as, or null for the agent's own
 * @param manageKeys the key may use the key-management request ({@code no-keys}, the default, is false)
 */
public record KeyOptions(List<Prefix> from, String command, boolean noFiles, boolean noPty, LocalDate expires,
                         String user, boolean manageKeys) {
    public static final KeyOptions NONE = new KeyOptions(List.of(), null, false, false, null, null, false);
    private static final java.util.regex.Pattern USER_NAME = java.util.regex.Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    public KeyOptions {
        from = List.copyOf(from);
    }

    /**
     * Parses the options text (everything before {@code rcon1}).
     *
     * @throws IllegalArgumentException naming the option and what is wrong with it
     */
    public static KeyOptions parse(String text) {
        List<Prefix> from = List.of();
        String command = null;
        boolean noFiles = false;
        boolean noPty = false;
        LocalDate expires = null;
        String user = null;
        Set<String> seen = new HashSet<>();
        for (String option : split(text)) {
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? null : unquote(name, option.substring(eq + 1));
            if (!seen.add(name)) {
                throw new IllegalArgumentException("option '" + name + "' is given twice");
            }
            switch (name) {
                case "from" -> from = prefixes(require(name, value));
                case "command" -> command = require(name, value);
                case "no-files" -> noFiles = flag(name, value);
                case "no-pty" -> noPty = flag(name, value);
                case "expires" -> expires = date(require(name, value));
                case "user" -> user = userName(require(name, value));
                case "manage-keys", "no-keys" -> flag(name, value);
                default -> throw new IllegalArgumentException("unknown option '" + name
                        + "' (known: from=, command=, user=, no-files, no-pty, no-keys, manage-keys, expires=)");
            }
        }
        boolean manageKeys = seen.contains("manage-keys");
        if (manageKeys) {
            checkManageKeysAlone(seen);
        }
        return new KeyOptions(from, command, noFiles, noPty, expires, user, manageKeys);
    }

    /**
     * A key that may rewrite the keys file could add itself an unrestricted line, so limits
     * beside manage-keys would only look like limits.
     */
    private static void checkManageKeysAlone(Set<String> seen) {
        for (String limit : List.of("no-keys", "command", "user", "no-files", "no-pty")) {
            if (seen.contains(limit)) {
                throw new IllegalArgumentException("option 'manage-keys' cannot go with '" + limit
                        + "': a key that manages keys can give itself any key, so it must be a full key");
            }
        }
    }

    private static String userName(String value) {
        if (!USER_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("option 'user' must be a user name like 'deploy' but was '" + value + "'");
        }
        return value;
    }

    /**
     * Whether the key is held to less than a full key: a forced command, another account, no
     * files or no terminal. Such keys (often a machine's: backups, monitoring) share at most
     * half of the agent's session and command slots, so that holding them all locks no full key
     * out. {@code from=} and {@code expires=} limit who and when, not what, so they do not count.
     */
    public boolean limited() {
        return command != null || user != null || noFiles || noPty;
    }

    /**
     * Whether a console at {@code address} may use the key on {@code today}, which is asked only
     * when the key expires: the local date loads the time-zone rules (380 KB of heap in a
     * standalone JVM, which an idle agent then keeps), and most keys have no expiry date.
     */
    public boolean admits(InetAddress address, Supplier<LocalDate> today) {
        if (expires != null && today.get().isAfter(expires)) {
            return false;
        }
        return from.isEmpty() || from.stream().anyMatch(p -> p.contains(address));
    }

    /** Options separated by commas outside double quotes. */
    private static List<String> split(String text) {
        List<String> options = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == ',' && !quoted) {
                options.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("an option's value has an opening \" but no closing one");
        }
        options.add(current.toString());
        for (String option : options) {
            if (option.isEmpty()) {
                throw new IllegalArgumentException("empty option (two commas, or a comma at an end)");
            }
        }
        return options;
    }

    private static String unquote(String name, String value) {
        if (!value.startsWith("\"")) {
            return value;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            throw new IllegalArgumentException("option '" + name + "' has a badly quoted value");
        }
        return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static String require(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("option '" + name + "' needs a value: " + name + "=\"...\"");
        }
        return value;
    }

    private static boolean flag(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException("option '" + name + "' takes no value");
        }
        return true;
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("option 'expires' must be a date YYYY-MM-DD but was '" + value + "'");
        }
    }

    private static List<Prefix> prefixes(String list) {
        List<Prefix> prefixes = new ArrayList<>();
        for (String item : list.split(",")) {
            prefixes.add(Prefix.parse(item.strip()));
        }
        return prefixes;
    }

    /** An address, or a CIDR prefix of addresses. */
    public record Prefix(byte[] network, int bits) {
        static Prefix parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            // Whole literals only: the JDK would read "10.1" as 10.0.0.1, not 10.1.0.0/16, and look a
            // name of hex letters alone ("cafe") up in the DNS, as root, at every load.
            boolean v4 = address.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
            boolean v6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
            if (!v4 && !v6) {
                throw new IllegalArgumentException("option 'from' takes whole IPv4 or IPv6 addresses and prefixes"
                        + " (10.1.0.0/16), not names or short forms: '" + text + "'");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("option 'from' has a bad address '" + text + "'");
            }
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("option 'from' has a bad prefix length in '" + text + "'");
                }
            }
            return new Prefix(bytes, bits);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
