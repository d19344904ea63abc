package dev.rcon.console.cli;

import dev.rcon.common.msg.Exit;
import java.util.Map;

/**
 * The one place exit codes come from. A one-shot command exits like the remote command: its
 * code, or 128+N when signal N ended it. 255 means the command could not run at all (bad
 * usage, no key, unreachable, refused, denied, timed out connecting, agent failed its proof),
 * as ssh does. Fleet runs have their own codes.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERRUPTED = 130;
    /** Local stdout closed while the remote command wrote to it, as SIGPIPE would end a writer. */
    public static final int BROKEN_PIPE = 141;
    public static final int COULD_NOT_RUN = 255;
    /** Fleet: every host ran the command, and some exited non-zero. */
    public static final int FLEET_SOME_FAILED = 1;
    /** Fleet: some hosts could not run the command (unreachable, denied, timed out connecting). */
    public static final int FLEET_SOME_UNREACHABLE = 2;

    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("SYS", 31));

    private ExitCodes() {
    }

    /** The status a remote exit maps to locally. */
    public static int of(Exit exit) {
        if (exit.code() != null) {
            return exit.code() & 0xFF;
        }
        return 128 + SIGNALS.getOrDefault(exit.signal(), 127);
    }

    /** How a remote exit reads for a person: {@code exit 3}, {@code signal KILL}. */
    public static String describe(Exit exit) {
        String what = exit.code() != null ? "exit " + exit.code() : "signal " + exit.signal();
        return exit.timedOut() ? what + " (timed out)" : what;
    }
}
