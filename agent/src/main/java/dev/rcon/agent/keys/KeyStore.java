package dev.rcon.agent.keys;

import dev.rcon.agent.auth.Accounts;
import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.net.Log;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The authorized keys the agent accepts now, and the one file they come from. Reloads and
 * changes are serialized, so the last file read or written is the one in force. A change reads
 * the file as it is on disk (an operator may have edited it since), edits its lines (comments
 * and order stay), checks the result exactly as a reload would, writes it atomically (see
 * {@link KeyFiles#replacePrivate}) and only then puts it in force: a change that would not load
 * is never written, and one that could not be written is never in force.
 */
public final class KeyStore {
    private final Path file;
    private final Accounts accounts;
    private final Log log;
    private final AtomicReference<AuthorizedKeys> current;
    /** Held by a change from before it waits for the file's lock until it is written. */
    private final Object changes = new Object();

    public KeyStore(Path file, AuthorizedKeys loaded, Accounts accounts, Log log) {
        this.file = file;
        this.accounts = accounts;
        this.log = log;
        this.current = new AtomicReference<>(loaded);
    }

    /** The keys in force. */
    public AuthorizedKeys current() {
        return current.get();
    }

    /**
     * Re-reads the file (SIGHUP); open sessions are not touched. If it cannot be read or is
     * refused, no key at all is accepted until a reload succeeds: the operator may have removed a
     * compromised key in the same edit that broke the file, and the old keys would keep it working.
     */
    public synchronized void reload() {
        try {
            AuthorizedKeys fresh = AuthorizedKeys.load(file, accounts);
            current.set(fresh);
            log.info("reloaded authorized keys from " + file + ": " + fresh.size() + " keys");
        } catch (IOException | RuntimeException e) {
            current.set(AuthorizedKeys.none());
            String why = String.valueOf(e.getMessage());
            log.error("reload of authorized keys failed, accepting no key until a reload succeeds"
                    + " (open sessions continue): " + (why.startsWith(file.toString()) ? why : file + ": " + why));
        }
    }

    /**
     * Carries out {@code request} for a session logged in with {@code caller}.
     *
     * @return every key after the change
     * @throws RequestException {@code bad_request} for a line that would not load, a key already
     *     there or the caller's own key; {@code not_found} for a kid not there; {@code io} when
     *     the file cannot be read or written (nothing changed then)
     */
    public List<KeyList.Entry> apply(Keys request, Key caller) throws RequestException {
        if (Keys.LIST.equals(request.op())) {
            return answerable(entries(current.get()), ErrorCode.IO, "");
        }
        // The wait for another process's lock (a stopped rcon-agent add-key holds it for as long
        // as it likes) is outside this store's monitor: a reload (SIGHUP) that waited behind it
        // left a key the operator had just removed working, while systemctl said reloaded. One
        // change at a time here all the same: a second lock of the file in this JVM would throw.
        synchronized (changes) {
            try {
                return KeyFiles.whileLocked(file, () -> log.info("keys " + request.op() + " waits for "
                        + "another change of " + file + " to end (rcon-agent add-key?)"), () -> {
                            synchronized (this) {
                                return change(request, caller);
                            }
                        });
            } catch (RequestException e) {
                throw e;
            } catch (IOException | IllegalArgumentException e) {
                // Only the lock gets here (its file cannot be made: a directory the agent may not
                // write, as under the restricted unit); the read's own failures say "cannot read".
                throw new RequestException(ErrorCode.IO, "cannot change " + file + " (nothing changed): "
                        + withoutName(String.valueOf(e.getMessage())));
            }
        }
    }

    /** {@code why} without the file's name in front, which the caller's message already gives. */
    private String withoutName(String why) {
        String prefix = file + ": ";
        return why.startsWith(prefix) ? why.substring(prefix.length()) : why;
    }

    /** Reads, edits, checks and writes the file; called holding its lock. */
    private List<KeyList.Entry> change(Keys request, Key caller) throws RequestException {
        List<String> lines;
        try {
            lines = new ArrayList<>(KeyFiles.readPrivateLines(file));
        } catch (IOException | IllegalArgumentException e) {
            throw new RequestException(ErrorCode.IO, "cannot read " + file + ": " + e.getMessage());
        }
        if (Keys.ADD.equals(request.op())) {
            add(lines, request.line());
        } else {
            remove(lines, request.kid(), caller);
        }
        AuthorizedKeys changed;
        try {
            changed = AuthorizedKeys.parse(file.toString(), lines, accounts);
        } catch (IllegalArgumentException e) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "the change would not load: " + e.getMessage());
        }
        List<KeyList.Entry> after = answerable(entries(changed), ErrorCode.BAD_REQUEST, " (nothing changed)");
        try {
            KeyFiles.replacePrivate(file, String.join("\n", lines) + "\n");
        } catch (IOException | IllegalArgumentException e) {
            throw new RequestException(ErrorCode.IO, "cannot write " + file + " (nothing changed): " + e.getMessage());
        }
        current.set(changed);
        return after;
    }

    /**
     * {@code keys}, if a {@code key_list} of them fits in one record header. Else the console
     * could never hear the answer (the send fails and the request stays unanswered), so it
     * is refused before anything changes; the keys file then needs editing on the host.
     */
    private List<KeyList.Entry> answerable(List<KeyList.Entry> keys, ErrorCode code, String note)
            throws RequestException {
        int size = MessageCodec.shared().encode(new KeyList(Integer.MAX_VALUE, keys)).length;
        if (size > Limits.MAX_HEADER) {
            throw new RequestException(code, "the key_list of " + keys.size() + " keys would be " + size
                    + " bytes, more than a record header's " + Limits.MAX_HEADER + note + "; edit " + file
                    + " on the host");
        }
        return keys;
    }

    private void add(List<String> lines, String line) throws RequestException {
        AuthorizedKeys.Entry entry;
        try {
            entry = AuthorizedKeys.entry(line.strip(), accounts);
        } catch (IllegalArgumentException e) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "not a key line: " + e.getMessage());
        }
        if (current.get().find(entry.key().kid()).isPresent()) {
            throw new RequestException(ErrorCode.BAD_REQUEST, "key " + entry.key().kidHex() + " is already authorized");
        }
        lines.add(line.strip());
    }

    private void remove(List<String> lines, String kid, Key caller) throws RequestException {
        if (kid.equals(caller.kidHex())) {
            // The one rule that keeps a rotation from locking itself out halfway.
            throw new RequestException(ErrorCode.BAD_REQUEST, "a session cannot remove the key it logged in with;"
                    + " log in with another key that may manage keys");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            AuthorizedKeys.Entry entry;
            try {
                entry = AuthorizedKeys.entry(line, accounts);
            } catch (IllegalArgumentException e) {
                throw new RequestException(ErrorCode.BAD_REQUEST, file + ":" + (i + 1) + ": " + e.getMessage());
            }
            if (entry.key().kidHex().equals(kid)) {
                lines.remove(i);
                return;
            }
        }
        throw new RequestException(ErrorCode.NOT_FOUND, "no authorized key " + kid);
    }

    private static List<KeyList.Entry> entries(AuthorizedKeys keys) {
        List<KeyList.Entry> out = new ArrayList<>();
        for (AuthorizedKeys.Entry e : keys.entries()) {
            out.add(new KeyList.Entry(e.key().kidHex(), e.key().name(), e.optionsText()));
        }
        return out;
    }
}
