package dev.rcon.agent.exec;

import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.SignalName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
     * Runs {@code publish} (which sets what the started command is made of) under the lock, then
     * lets records through; returns what waited.
     */
    synchronized Waiting open(Runnable publish) {
        publish.run();
        open = true;
        return new Waiting(List.copyOf(signals), size, abandon);
    }
}
