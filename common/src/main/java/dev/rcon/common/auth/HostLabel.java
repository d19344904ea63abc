package dev.rcon.common.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The label L that names a host in key derivation (RCON1.md 5.1): the host as the user wrote it,
 * without port, ASCII-lowercased, without a trailing dot; an IPv6 literal without brackets in its
 * RFC 5952 form; 1 to 253 bytes of UTF-8.
 *
 * @param text the normalised label
 */
public record HostLabel(String text) {
    public static final int MAX_BYTES = 253;

    public HostLabel {
        int bytes = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("a host label must be 1 to " + MAX_BYTES + " bytes of UTF-8 but '"
                    + text + "' has " + bytes);
        }
    }

    /**
     * The label of {@code host} as written (a name, an IPv4 address, or an IPv6 literal with or
     * without brackets), without its port.
     *
     * @throws IllegalArgumentException naming the host and the rule it breaks
     */
    public static HostLabel of(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.indexOf(':') >= 0) {
            return new HostLabel(ipv6(h));
        }
        h = asciiLower(h);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new IllegalArgumentException("host '" + host + "' gives an empty label");
        }
        return new HostLabel(h);
    }

    /**
     * Lowercases A to Z only: a label's other characters are kept as written. Anything that finds
     * a host by its name without case does it this way, so that it agrees with the label.
     */
    public static String asciiLower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return sb.toString();
    }

    /**
     * RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups as "::";
     * an IPv4-mapped address as ::ffff: and dotted decimal (its section 5), every other in hex.
     */
    private static String ipv6(String literal) {
        int percent = literal.indexOf('%');
        String address = percent < 0 ? literal : literal.substring(0, percent);
        String zone = percent < 0 ? "" : asciiLower(literal.substring(percent));
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            // Only a literal may reach InetAddress: anything else would be a name to look up.
            throw new IllegalArgumentException("host '" + literal + "' is not a valid IPv6 address");
        }
        byte[] bytes;
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!(parsed instanceof Inet6Address)) {
                // The JDK makes an IPv4-mapped literal (::ffff:a.b.c.d, or in hex) an IPv4 address;
                // RFC 5952 section 5 writes it in mixed notation, and the label is an IPv6 form.
                return "::ffff:" + parsed.getHostAddress() + zone;
            }
            bytes = parsed.getAddress();
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("host '" + literal + "' is not a valid IPv6 address");
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb + zone;
    }

    @Override
    public String toString() {
        return text;
    }
}
