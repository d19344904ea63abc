package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rcon.common.wire.ErrorCode;

/** Agent to console: a request failed, or ({@code id} null) something about the session did. */
public record ErrorReply(@JsonInclude(JsonInclude.Include.ALWAYS) Integer id, ErrorCode code, String message)
        implements Message {
    /**
     * The most characters of a message kept. A message may quote what the peer sent (a value
     * as long as a header allows); at six bytes a character escaped, this bound keeps every
     * error within a header, so that the answer to a bad request can always be sent.
     */
    public static final int MAX_MESSAGE = 1024;

    public ErrorReply {
        if (id != null) {
            Message.checkId(id);
        }
        if (code == null || message == null) {
            throw new IllegalArgumentException("error needs 'code' and 'message'");
        }
        message = bounded(message);
    }

    /** {@code message} cut to {@link #MAX_MESSAGE} characters, "..." saying so; never inside a surrogate pair. */
    private static String bounded(String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        int end = MAX_MESSAGE - 3;
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--;
        }
        return message.substring(0, end) + "...";
    }

    @Override
    public MessageType type() {
        return MessageType.ERROR;
    }

    @Override
    public Integer requestId() {
        return id;
    }
}
