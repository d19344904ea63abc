package dev.rcon.agent.exec;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/** A command could not start; answered with an {@code error} instead of {@code started}. */
public final class SpawnException extends RconException {
    public SpawnException(ErrorCode code, String message) {
        super(code, message);
    }
}
