package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rcon.common.wire.ErrorCode;

/** Agent to console: a request failed, or ({@code id} null) something about the session did. */
public record ErrorReply(@JsonInclude(JsonInclude.Include.ALWAYS) Integer id, ErrorCode code, String message)
        implements Message {

    public ErrorReply {
        if (id != null) {
            Message.checkId(id);
        }
        if (code == null || message == null) {
            throw new IllegalArgumentException("error needs 'code' and 'message'");
        }
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
