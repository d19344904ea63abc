package dev.rcon.common.wire;

/**
 * A well-authenticated record whose header names an unknown type or field, or has a bad value.
 * Unlike other {@link ProtocolException}s the session survives it: the agent answers with an
 * {@code error} of code {@code bad_request} carrying {@link #requestId()}.
 */
public final class BadRequestException extends ProtocolException {
    private final Integer requestId;

    public BadRequestException(Integer requestId, String message) {
        super(message);
        this.requestId = requestId;
    }

    /** The request's id when the header had a usable one, else null. */
    public Integer requestId() {
        return requestId;
    }
}
