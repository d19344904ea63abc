package dev.rcon.common.auth;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.RconException;

/** The HMAC challenge failed: the agent denied the key, or the agent failed its own proof. */
public final class AuthenticationException extends RconException {
    private final boolean agentFailedProof;

    public AuthenticationException(String message) {
        this(message, false);
    }

    /** @param agentFailedProof the peer could not prove it holds the key: an impostor, not a denial */
    public AuthenticationException(String message, boolean agentFailedProof) {
        super(ErrorCode.DENIED, message);
        this.agentFailedProof = agentFailedProof;
    }

    /** True when the agent failed its proof (an impostor or a relay) rather than denying our key. */
    public boolean agentFailedProof() {
        return agentFailedProof;
    }
}
