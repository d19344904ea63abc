package dev.rcon.console.client;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/**
 * Could not get a session with a host: unknown, unreachable, refusing, too slow, denying, or
 * not an rcon agent. The message is one line for a person and starts with the host.
 */
public final class ConnectFailure extends RconException {
    /** Why, in the words a fleet summary counts by. */
    public enum Reason { UNREACHABLE, TIMEOUT, DENIED, PROTOCOL, BUSY }

    private final Reason reason;

    public ConnectFailure(Reason reason, String message, Throwable cause) {
        super(reason == Reason.DENIED ? ErrorCode.DENIED : ErrorCode.IO, message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
