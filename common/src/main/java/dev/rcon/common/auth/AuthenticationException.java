package dev.rcon.common.auth;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/** The HMAC challenge failed: the agent denied the key, or the agent failed its own proof. */
public final class AuthenticationException extends RconException {
    public AuthenticationException(String message) {
        super(ErrorCode.DENIED, message);
    }
}
