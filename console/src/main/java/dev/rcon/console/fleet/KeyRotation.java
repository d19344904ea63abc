package dev.rcon.console.fleet;

import dev.rcon.common.auth.HostKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.console.client.ConnectFailure;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Rotates one host from the old fleet key to a new one without ever locking it out, through the
 * agent's key-management request: over a session with the old key, add the new key's line (with
 * the old line's options); log in with the new key; over that session, remove the old line. A
 * host where a step fails is put back as it was (the new line removed over the old session) and
 * keeps its old key; only a host that lost its connection mid-way can be left holding both.
 */
public final class KeyRotation {
    private final Key oldFleet;
    private final Key newFleet;
    private final Duration connectTimeout;

    /** How one host came out. */
    public enum Status { ROTATED, KEPT_OLD_KEY, UNREACHABLE }

    /**
     * One host's outcome.
     *
     * @param host the host as named
     * @param status what happened
     * @param detail for people: the kids, or why the host kept its old key
     */
    public record Result(String host, Status status, String detail) {
    }

    public KeyRotation(Key oldFleet, Key newFleet, Duration connectTimeout) {
        this.oldFleet = oldFleet;
        this.newFleet = newFleet;
        this.connectTimeout = connectTimeout;
    }

    /** Rotates {@code target}, named {@code host} in the list; never throws for a host's failure. */
    public Result rotate(String host, Target target) throws InterruptedException {
        Key oldKey = HostKeys.derive(oldFleet, target.hostLabel());
        Key newKey = HostKeys.derive(newFleet, target.hostLabel());
        try (RconClient old = RconClient.connect(target, oldFleet, connectTimeout)) {
            return rotate(host, target, old, oldKey, newKey);
        } catch (ConnectFailure e) {
            return new Result(host, Status.UNREACHABLE, "cannot log in with the old key: " + e.getMessage());
        }
    }

    private Result rotate(String host, Target target, RconClient old, Key oldKey, Key newKey)
            throws InterruptedException {
        KeyList keys;
        try {
            keys = old.keys(Keys::list);
        } catch (IOException e) {
            return kept(host, "cannot list its keys: " + e.getMessage());
        }
        Optional<KeyList.Entry> oldEntry = keys.keys().stream().filter(k -> k.kid().equals(oldKey.kidHex())).findFirst();
        boolean added = keys.keys().stream().noneMatch(k -> k.kid().equals(newKey.kidHex()));
        if (added) {
            String options = oldEntry.map(KeyList.Entry::options).orElse("");
            String line = (options.isEmpty() ? "" : options + " ") + KeyLine.format(newKey);
            try {
                old.keys(id -> Keys.add(id, line));
            } catch (IOException e) {
                return kept(host, "adding the new key failed: " + e.getMessage());
            }
        }
        try (RconClient fresh = RconClient.connect(target, newFleet, connectTimeout)) {
            if (oldEntry.isPresent()) {
                fresh.keys(id -> Keys.remove(id, oldKey.kidHex()));
            }
            return new Result(host, Status.ROTATED, "key " + oldKey.kidHex() + " replaced by " + newKey.kidHex());
        } catch (IOException e) {
            String why = (e instanceof ConnectFailure ? "logging in with the new key failed: "
                    : "removing the old key failed: ") + e.getMessage();
            return added ? undo(host, old, newKey, why) : kept(host, why);
        }
    }

    /** Removes the line this rotation added, over the session of the old key. */
    private static Result undo(String host, RconClient old, Key newKey, String why) throws InterruptedException {
        try {
            old.keys(id -> Keys.remove(id, newKey.kidHex()));
            return kept(host, why + "; the new key was removed again");
        } catch (IOException e) {
            return kept(host, why + "; removing the new key again failed too (" + e.getMessage()
                    + "): the host accepts both keys");
        }
    }

    private static Result kept(String host, String why) {
        return new Result(host, Status.KEPT_OLD_KEY, why);
    }
}
