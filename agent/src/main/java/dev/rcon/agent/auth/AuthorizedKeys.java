package dev.rcon.agent.auth;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.auth.KeyLookup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys one authorized-keys file allows, immutable once loaded. One key line per entry,
 * optionally preceded by {@link KeyOptions} ({@code from="10.0.0.0/8",no-files rcon1 ...});
 * blank lines and {@code #} comments are allowed.
 */
public final class AuthorizedKeys implements KeyLookup {
    private final Map<String, Key> byKid;
    private final Map<String, KeyOptions> options;

    private AuthorizedKeys(Map<String, Key> byKid, Map<String, KeyOptions> options) {
        this.byKid = Map.copyOf(byKid);
        this.options = Map.copyOf(options);
    }

    /** No key at all: what the agent accepts after a reload that failed. */
    public static AuthorizedKeys none() {
        return new AuthorizedKeys(Map.of(), Map.of());
    }

    /**
     * Loads {@code file}, refusing it unless it is private (see {@link KeyFiles}).
     *
     * @throws IllegalArgumentException naming the file (and line) and what is wrong
     */
    public static AuthorizedKeys load(Path file) throws IOException {
        List<String> lines = KeyFiles.readPrivateLines(file);
        Map<String, Key> keys = new LinkedHashMap<>();
        Map<String, KeyOptions> options = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            int tag = keyStart(line);
            if (tag < 0) {
                throw new IllegalArgumentException(where + "expected a line with 'rcon1 KID PSK NAME' but got '"
                        + line.split("\\s+", 2)[0] + "'");
            }
            Key key;
            KeyOptions restrictions;
            try {
                restrictions = tag == 0 ? KeyOptions.NONE : KeyOptions.parse(line.substring(0, tag).strip());
                key = KeyLine.parse(line.substring(tag));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (keys.putIfAbsent(key.kidHex(), key) != null) {
                throw new IllegalArgumentException(where + "key " + key.kidHex() + " is listed twice");
            }
            options.put(key.kidHex(), restrictions);
        }
        return new AuthorizedKeys(keys, options);
    }

    /** Where the key line starts: at 0, or after options at the first "rcon1 " outside quotes. */
    private static int keyStart(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && line.startsWith(KeyLine.TAG + " ", i) && (i == 0 || line.charAt(i - 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    /** The key of {@code kid} if a console at {@code peer} may use it today (its from= and expires=). */
    public Optional<Key> find(byte[] kid, java.net.InetAddress peer, java.time.LocalDate today) {
        String hex = HexFormat.of().formatHex(kid);
        KeyOptions restrictions = options.getOrDefault(hex, KeyOptions.NONE);
        return restrictions.admits(peer, today) ? Optional.ofNullable(byKid.get(hex)) : Optional.empty();
    }

    /** The options written before {@code key}'s line. */
    public KeyOptions options(Key key) {
        return options.getOrDefault(key.kidHex(), KeyOptions.NONE);
    }

    @Override
    public Optional<Key> find(byte[] kid) {
        return Optional.ofNullable(byKid.get(HexFormat.of().formatHex(kid)));
    }

    public int size() {
        return byKid.size();
    }
}
