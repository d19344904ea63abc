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
 * The keys one authorized-keys file allows, immutable once loaded. One key line per entry;
 * blank lines and {@code #} comments are allowed. A line may later carry options before its
 * key line; until those are designed such a line is refused, so no option is ever silently
 * ignored.
 */
public final class AuthorizedKeys implements KeyLookup {
    private final Map<String, Key> byKid;

    private AuthorizedKeys(Map<String, Key> byKid) {
        this.byKid = Map.copyOf(byKid);
    }

    /** No key at all: what the agent accepts after a reload that failed. */
    public static AuthorizedKeys none() {
        return new AuthorizedKeys(Map.of());
    }

    /**
     * Loads {@code file}, refusing it unless it is private (see {@link KeyFiles}).
     *
     * @throws IllegalArgumentException naming the file (and line) and what is wrong
     */
    public static AuthorizedKeys load(Path file) throws IOException {
        List<String> lines = KeyFiles.readPrivateLines(file);
        Map<String, Key> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            if (!line.startsWith(KeyLine.TAG + " ")) {
                String first = line.split("\\s+", 2)[0];
                throw new IllegalArgumentException(where + (line.contains(" " + KeyLine.TAG + " ")
                        ? "options before the key ('" + first + "') are not supported yet"
                        : "expected a line starting with 'rcon1' but got '" + first + "'"));
            }
            Key key;
            try {
                key = KeyLine.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (keys.putIfAbsent(key.kidHex(), key) != null) {
                throw new IllegalArgumentException(where + "key " + key.kidHex() + " is listed twice");
            }
        }
        return new AuthorizedKeys(keys);
    }

    @Override
    public Optional<Key> find(byte[] kid) {
        return Optional.ofNullable(byKid.get(HexFormat.of().formatHex(kid)));
    }

    public int size() {
        return byKid.size();
    }
}
