package dev.rcon.console.fleet;

import dev.rcon.common.msg.Exit;
import dev.rcon.console.io.ExitCodes;

/**
 * One host's result.
 *
 * @param exit the remote exit, or null when the command did not run to an exit
 * @param message why it did not run, or null
 */
public record HostResult(String host, Outcome outcome, Exit exit, long durationMs, String message) {

    /** {@code exit 0}, {@code signal KILL (timed out)}, {@code unreachable: connection refused}. */
    public String describe() {
        if (exit != null) {
            return ExitCodes.describe(exit);
        }
        return message == null ? outcome.label() : outcome.label() + ": " + message;
    }
}
