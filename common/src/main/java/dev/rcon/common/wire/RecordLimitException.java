package dev.rcon.common.wire;

/**
 * A direction of the session has used all but its last sequence number: only {@code close} may
 * still be sent, and the sender must end the session (RCON1.md section 3).
 */
public final class RecordLimitException extends ProtocolException {
    public RecordLimitException(long limit) {
        super("session reached its limit of " + limit + " records in one direction; it must close");
    }
}
