package dev.rcon.agent.exec;

import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.SignalName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What arrives for a command while it starts, kept until it has. Its lock is the moment of the
 * start: the session's reader either keeps a record here or hands it to the running command,
 * never both, never neither. Kept records are bounded whatever the console sends: each signal
 * once, the last size only.
 */
final class StartGate {
    /** What the session asked of a command that had not started yet, weakest first. */
    enum Abandon { NONE, TERMINATE, KILL }

    /** What waited for the start. */
    record Waiting(List<SignalName> signals, Resize size, Abandon abandon) {
    }

    private final Set<SignalName> signals = new LinkedHashSet<>();
    private Resize size;
    private Abandon abandon = Abandon.NONE;
    private boolean open;

    /** Keeps {@code signal} for the start; false when the command has started (deliver it now). */
    synchronized boolean keep(SignalName signal) {
        if (!open) {
            signals.add(signal);
        }
        return !open;
    }

    /** Keeps {@code resize} (replacing an earlier one); false when the command has started. */
    synchronized boolean keep(Resize resize) {
        if (!open) {
            size = resize;
        }
        return !open;
    }

    /** Notes that the session wants the command ended; false when it has started (end it now). */
    synchronized boolean abandon(Abandon how) {
        if (!open && how.compareTo(abandon) > 0) {
            abandon = how;
        }
        return !open;
    }

    synchronized boolean abandoned() {
        return abandon != Abandon.NONE;
    }

    synchronized boolean isOpen() {
        return open;
    }

    /**
     * Lets records through, and hands what waited to {@code deliver} under the lock, so that a
     * record the reader passes on after this moment reaches the command after what waited for it;
     * returns what waited (nothing, when already open). The command's parts must be set before: readers see them through this lock.
     */
    synchronized Waiting open(Consumer<Waiting> deliver) {
        if (open) {
            return new Waiting(List.of(), null, Abandon.NONE);
        }
        open = true;
        Waiting waiting = new Waiting(List.copyOf(signals), size, abandon);
        signals.clear();
        size = null;
        deliver.accept(waiting);
        return waiting;
    }
}
