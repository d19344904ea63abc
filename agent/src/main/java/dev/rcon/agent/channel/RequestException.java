package dev.rcon.agent.channel;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/** A request could not start (a command, a put, a get); answered with one {@code error} carrying its code. */
public final class RequestException extends RconException {
    public RequestException(ErrorCode code, String message) {
        super(code, message);
    }

    /**
     * The host gave no thread (or process) for the request: the JVM's OutOfMemoryError from
     * Thread.start at the host's task limit, which the unit's ExitOnOutOfMemoryError does not cover.
     */
    public static RequestException noThread() {
        return new RequestException(ErrorCode.BUSY, "no thread for this request: the host is at its process or thread"
                + " limit");
    }
}
