package dev.rcon.common.auth;

import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The one-line text form of a key: {@code rcon1 KID-HEX PSK-BASE64 NAME}. */
public final class KeyLine {
    public static final String TAG = "rcon1";
    private static final Pattern KID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PSK = Pattern.compile("[A-Za-z0-9+/]{43}=");

    private KeyLine() {
    }

    public static String format(Key key) {
        return TAG + " " + key.kidHex() + " " + Base64.getEncoder().encodeToString(key.psk()) + " " + key.name();
    }

    /**
     * Parses one key line.
     *
     * @throws IllegalArgumentException saying what is wrong with it, never echoing the psk
     */
    public static Key parse(String line) {
        String[] parts = line.strip().split("\\s+", 4);
        if (!parts[0].equals(TAG)) {
            throw new IllegalArgumentException("expected a line starting with '" + TAG + "' but got '"
                    + abbreviate(parts[0]) + "'");
        }
        if (parts.length < 4) {
            throw new IllegalArgumentException("expected 'rcon1 KID PSK NAME' but the line has only "
                    + parts.length + " fields");
        }
        if (!KID.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("kid must be 32 lowercase hex digits but was '"
                    + abbreviate(parts[1]) + "'");
        }
        if (!PSK.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException("psk must be 44 characters of padded standard base64 (32 bytes) but has "
                    + parts[2].length() + " characters");
        }
        return new Key(HexFormat.of().parseHex(parts[1]), Base64.getDecoder().decode(parts[2]), parts[3]);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
