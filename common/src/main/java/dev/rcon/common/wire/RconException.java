package dev.rcon.common.wire;

import java.io.IOException;

/** A failure on an rcon/1 connection, with the error code it maps to on the wire. */
public class RconException extends IOException {
    private final ErrorCode code;

    public RconException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public RconException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
