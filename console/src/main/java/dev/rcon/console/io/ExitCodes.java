package dev.rcon.console.io;

import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.SignalNumbers;
import dev.rcon.common.wire.PeerText;

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

    private ExitCodes() {
    }

    /** The status a remote exit maps to locally. */
    public static int of(Exit exit) {
        if (exit.code() != null) {
            return exit.code() & 0xFF;
        }
        Integer number = SignalNumbers.number(exit.signal());
        return 128 + (number != null ? number : 127);
    }

    /** How a remote exit reads for a person: {@code exit 3}, {@code signal KILL}. */
    public static String describe(Exit exit) {
        // The signal's name is the agent's word: escaped, so that it prints as one line of text.
        String what = exit.code() != null ? "exit " + exit.code() : "signal " + PeerText.escape(exit.signal());
        return exit.timedOut() ? what + " (timed out)" : what;
    }
}
