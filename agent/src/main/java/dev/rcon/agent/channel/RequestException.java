package dev.rcon.agent.channel;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/** A request could not start (a command, a put, a get); answered with one {@code error} carrying its code. */
public final class RequestException extends RconException {
    public RequestException(ErrorCode code, String message) {
        super(code, message);
    }
}
