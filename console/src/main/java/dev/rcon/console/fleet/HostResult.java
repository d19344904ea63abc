package dev.rcon.console.fleet;

import dev.rcon.common.msg.Exit;
import dev.rcon.console.io.ExitCodes;

/**
 * One host's result.
 *
 * @param exit the remote exit, or null when the command did not run to an exit
 * @param message why it did not run, or null
 * @param timing where the time went
 */
public record HostResult(String host, Outcome outcome, Exit exit, long durationMs, String message, HostTiming timing) {

    public HostResult(String host, Outcome outcome, Exit exit, long durationMs, String message) {
        this(host, outcome, exit, durationMs, message, HostTiming.total(durationMs));
    }

    /** {@code exit 0}, {@code signal KILL (timed out)}, {@code unreachable: connection refused}. */
    public String describe() {
        if (exit != null) {
            return ExitCodes.describe(exit);
        }
        if (message == null) {
            return outcome.label();
        }
        // A denial's message already starts with "denied: ": say it once.
        return message.startsWith(outcome.label() + ": ") ? message : outcome.label() + ": " + message;
    }
}
