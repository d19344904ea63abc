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

    /**
     * How one host came out: UNFINISHED when its state could not be learnt after a failed step;
     * NOT_STARTED and INTERRUPTED only when the run was stopped with Ctrl-C.
     */
    public enum Status { ROTATED, KEPT_OLD_KEY, UNREACHABLE, NEITHER_KEY, UNFINISHED, NOT_STARTED, INTERRUPTED }

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
            if (e.reason() == ConnectFailure.Reason.DENIED) {
                return rotatedBefore(host, target, oldKey, newKey, e);
            }
            return new Result(host, Status.UNREACHABLE, "cannot log in with the old key: " + e.getMessage());
        }
    }

    /**
     * A host that denies the old key may have been rotated already (a run interrupted, or re-run
     * on the whole list): the new key tells. Saying "unreachable" there, with the old key's
     * enrolment as the fix, would have the operator put the old key back.
     */
    private Result rotatedBefore(String host, Target target, Key oldKey, Key newKey, ConnectFailure oldDenied)
            throws InterruptedException {
        try (RconClient fresh = RconClient.connect(target, newFleet, connectTimeout)) {
            if (holds(fresh.keys(Keys::list), oldKey)) {
                fresh.keys(id -> Keys.remove(id, oldKey.kidHex()));
            }
            return new Result(host, Status.ROTATED, "already: key " + newKey.kidHex() + " in place, " + oldKey.kidHex()
                    + " no longer accepted");
        } catch (ConnectFailure e) {
            return e.reason() == ConnectFailure.Reason.DENIED
                    ? new Result(host, Status.NEITHER_KEY, oldDenied.detail() + "; the new key is denied too")
                    : new Result(host, Status.UNREACHABLE, "cannot log in with the old key: " + oldDenied.getMessage());
        } catch (IOException e) {
            return new Result(host, Status.ROTATED, "already: key " + newKey.kidHex() + " in place (listing its"
                    + " keys failed: " + e.getMessage() + ")");
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
        boolean added = !holds(keys, newKey);
        if (oldEntry.isEmpty()) {
            // Another session removed it since this one logged in: its options are unknown, and a new
            // line without them would drop its from= and manage-keys.
            return added ? new Result(host, Status.NEITHER_KEY, "the old key was removed by another session while"
                    + " this one held it, and the new key is not there; no line was added")
                    : new Result(host, Status.ROTATED, "key " + oldKey.kidHex() + " replaced by " + newKey.kidHex()
                    + " by another session");
        }
        if (added) {
            String options = oldEntry.get().options();
            String line = (options.isEmpty() ? "" : options + " ") + KeyLine.format(newKey);
            try {
                old.keys(id -> Keys.add(id, line));
            } catch (IOException e) {
                return kept(host, "adding the new key failed: " + e.getMessage());
            }
        }
        try (RconClient fresh = RconClient.connect(target, newFleet, connectTimeout)) {
            fresh.keys(id -> Keys.remove(id, oldKey.kidHex()));
            return new Result(host, Status.ROTATED, "key " + oldKey.kidHex() + " replaced by " + newKey.kidHex());
        } catch (IOException e) {
            String why = (e instanceof ConnectFailure ? "logging in with the new key failed: "
                    : "removing the old key failed: ") + e.getMessage();
            return settle(host, old, oldKey, newKey, added, why);
        }
    }

    /**
     * After step 3 or 4 failed: what the host holds now decides, not what this run did. Another
     * session (a second operator rotating from the same fleet key) may have removed the old key
     * since it was listed, or the removal was made and only its answer lost; removing the new key
     * then would leave this console with no key the host accepts, while it said the old one stayed.
     */
    private static Result settle(String host, RconClient old, Key oldKey, Key newKey, boolean added, String why)
            throws InterruptedException {
        KeyList now;
        try {
            now = old.keys(Keys::list);
        } catch (IOException e) {
            // The removal may have been made before the connection went: "kept its old key" could be false.
            return new Result(host, Status.UNFINISHED, why + "; its keys could not be listed again ("
                    + e.getMessage() + ")");
        }
        boolean oldThere = holds(now, oldKey);
        boolean newThere = holds(now, newKey);
        if (!oldThere && newThere) {
            return new Result(host, Status.ROTATED, "key " + oldKey.kidHex() + " replaced by " + newKey.kidHex()
                    + "; " + why + ", but the old key is gone all the same");
        }
        if (!oldThere) {
            return new Result(host, Status.NEITHER_KEY, why + "; and another session removed both the old key and"
                    + " the new one meanwhile");
        }
        if (!newThere) {
            return kept(host, why);
        }
        // A line this run did not add (an earlier run stopped after step 2) is not this run's to take back.
        return added ? undo(host, old, newKey, why)
                : kept(host, why + "; the new key, there before this run, stays too: run rotate again to finish");
    }

    private static boolean holds(KeyList keys, Key key) {
        return keys.keys().stream().anyMatch(k -> k.kid().equals(key.kidHex()));
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
