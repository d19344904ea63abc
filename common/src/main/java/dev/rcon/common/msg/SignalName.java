package dev.rcon.common.msg;

/** The signals a console may send (RCON1.md section 4), with their Linux numbers. */
public enum SignalName {
    HUP(1), INT(2), QUIT(3), KILL(9), TERM(15);

    private final int number;

    SignalName(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** What the {@code nth} Ctrl-C sends: INT first, to let the command clean up; KILL after. */
    public static SignalName forInterrupt(int nth) {
        return nth <= 1 ? INT : KILL;
    }
}
