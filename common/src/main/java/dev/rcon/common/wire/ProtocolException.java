package dev.rcon.common.wire;

/**
 * The peer broke the protocol: a length outside its limit, a record that does not
 * authenticate, a header that is not a JSON object. The connection is closed.
 */
public class ProtocolException extends RconException {
    public ProtocolException(String message) {
        super(ErrorCode.BAD_REQUEST, message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(ErrorCode.BAD_REQUEST, message, cause);
    }
}
