package dev.rcon.console.client;

import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.PeerText;
import dev.rcon.common.wire.RconException;

/**
 * The agent answered a request with {@code error}, or the session ended under it. The message
 * holds what the agent said, which a compromised host chooses: it is escaped
 * ({@link PeerText}), so that printed it stays one line of text, never a terminal's escape
 * sequence or a forged line about another host.
 */
public final class RemoteException extends RconException {
    public RemoteException(ErrorCode code, String message) {
        super(code, PeerText.escape(message));
    }
}
