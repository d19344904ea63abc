package dev.rcon.console.fleet;

/** How one host's part of a fleet run ended, in the words the summary counts by. */
public enum Outcome {
    OK("ok"),
    FAILED("failed"),
    TIMED_OUT("timed out"),
    UNREACHABLE("unreachable"),
    DENIED("denied"),
    ERROR("error"),
    INTERRUPTED("interrupted"),
    NOT_STARTED("not started");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The host ran the command (whatever its status). */
    public boolean ran() {
        return this == OK || this == FAILED || this == TIMED_OUT || this == INTERRUPTED;
    }

    /** The host could not run the command at all. */
    public boolean couldNotRun() {
        return this == UNREACHABLE || this == DENIED || this == ERROR;
    }
}
