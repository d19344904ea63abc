package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Agent to console, once, last: how the command of request {@code id} ended. Exactly one of
 * {@code code} and {@code signal} is set; both are always written, the other as null.
 */
public record Exit(Integer id,
                   @JsonInclude(JsonInclude.Include.ALWAYS) Integer code,
                   @JsonInclude(JsonInclude.Include.ALWAYS) String signal,
                   boolean timedOut, long durationMs, long stdoutBytes, long stderrBytes)
        implements Message {

    public Exit {
        Message.checkId(id);
        if ((code == null) == (signal == null)) {
            throw new IllegalArgumentException("exit needs exactly one of 'code' and 'signal'");
        }
    }

    @Override
    public MessageType type() {
        return MessageType.EXIT;
    }

    @Override
    public Integer requestId() {
        return id;
    }
}
