package dev.rcon.agent.auth;

import dev.rcon.agent.exec.RunAs;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.auth.KeyLookup;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The keys one authorized-keys file allows, immutable once loaded. One key line per entry,
 * optionally preceded by {@link KeyOptions} ({@code from="10.0.0.0/8",no-files rcon1 ...});
 * blank lines and {@code #} comments are allowed. A {@code user=} is looked up while loading, so
 * a missing user refuses the file rather than fail each command later.
 */
public final class AuthorizedKeys implements KeyLookup {
    private final Map<String, Entry> byKid;

    /**
     * One authorized key.
     *
     * @param key the key
     * @param options what its line allows
     * @param optionsText the options as written, for listing; empty for none
     * @param runAs the account its commands run as
     */
    public record Entry(Key key, KeyOptions options, String optionsText, RunAs runAs) {
    }

    private AuthorizedKeys(Map<String, Entry> byKid) {
        this.byKid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKid));
        if (byKid.values().stream().anyMatch(entry -> entry.options().expires() != null)) {
            // The first local date a JVM asks for loads the zone rules (about 15 ms here): asked
            // now, with the keys, so that the first handshake of an expiring key takes no longer
            // than any other key's and says nothing about which keys expire.
            LocalDate.now();
        }
    }

    /** No key at all: what the agent accepts after a reload that failed. */
    public static AuthorizedKeys none() {
        return new AuthorizedKeys(Map.of());
    }

    /** Loads {@code file} with this process's accounts; see {@link #load(Path, Accounts)}. */
    public static AuthorizedKeys load(Path file) throws IOException {
        return load(file, Accounts.system());
    }

    /**
     * Loads {@code file}, refusing it unless it is private (see {@link KeyFiles}).
     *
     * @throws IllegalArgumentException naming the file (and line) and what is wrong
     */
    public static AuthorizedKeys load(Path file, Accounts accounts) throws IOException {
        return parse(file.toString(), KeyFiles.readPrivateLines(file), accounts);
    }

    /**
     * Parses the lines of a keys file; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException naming the source and line and what is wrong
     */
    public static AuthorizedKeys parse(String source, List<String> lines, Accounts accounts) {
        Map<String, Entry> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            Entry entry;
            try {
                entry = entry(line, accounts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (keys.putIfAbsent(entry.key().kidHex(), entry) != null) {
                throw new IllegalArgumentException(where + "key " + entry.key().kidHex() + " is listed twice");
            }
        }
        return new AuthorizedKeys(keys);
    }

    /**
     * One line, options and key, exactly as the file would read it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Entry entry(String line, Accounts accounts) {
        int tag = keyStart(line);
        if (tag < 0) {
            throw new IllegalArgumentException("expected a line with 'rcon1 KID PSK NAME' but got '"
                    + line.split("\\s+", 2)[0] + "'");
        }
        String text = line.substring(0, tag).strip();
        KeyOptions options = tag == 0 ? KeyOptions.NONE : KeyOptions.parse(text);
        Key key = KeyLine.parse(line.substring(tag));
        RunAs runAs = options.user() == null ? RunAs.AGENT : accounts.resolve(options.user());
        return new Entry(key, options, text, runAs);
    }

    /** The kid of a line (options and key) as the file would read it, without its psk ever leaving. */
    public static Optional<String> kidOf(String line) {
        int tag = keyStart(line.strip());
        if (tag < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyLine.parse(line.strip().substring(tag)).kidHex());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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

    /**
     * The key of {@code kid} if a console at {@code peer} may use it today (its from= and
     * expires=); {@code today} is asked only of a key with an expiry date.
     */
    public Optional<Key> find(byte[] kid, InetAddress peer, Supplier<LocalDate> today) {
        Entry entry = byKid.get(HexFormat.of().formatHex(kid));
        return entry != null && entry.options().admits(peer, today) ? Optional.of(entry.key()) : Optional.empty();
    }

    /** The options written before {@code key}'s line. */
    public KeyOptions options(Key key) {
        Entry entry = byKid.get(key.kidHex());
        return entry == null ? KeyOptions.NONE : entry.options();
    }

    /**
     * What {@code key} may do, for a session it logged in; asked of the keys that admitted it.
     *
     * @throws IllegalStateException for a key not among these: it has no options here, and a
     *     session without them would be a limited key's session without its limits
     */
    public KeyPolicy policy(Key key) {
        Entry entry = byKid.get(key.kidHex());
        if (entry == null) {
            throw new IllegalStateException("key " + key.kidHex() + " is not among the keys in force: no options to apply");
        }
        return new KeyPolicy(key, entry.options(), entry.runAs());
    }

    /** Every key, in file order. */
    public List<Entry> entries() {
        return List.copyOf(byKid.values());
    }

    @Override
    public Optional<Key> find(byte[] kid) {
        Entry entry = byKid.get(HexFormat.of().formatHex(kid));
        return entry == null ? Optional.empty() : Optional.of(entry.key());
    }

    public int size() {
        return byKid.size();
    }
}
