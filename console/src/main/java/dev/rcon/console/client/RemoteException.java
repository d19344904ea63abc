package dev.rcon.console.client;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/** The agent answered a request with {@code error}, or the session ended under it. */
public final class RemoteException extends RconException {
    public RemoteException(ErrorCode code, String message) {
        super(code, message);
    }
}
