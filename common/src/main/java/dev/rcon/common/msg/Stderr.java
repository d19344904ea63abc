package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Agent to console: raw bytes the command of request {@code id} wrote to its stderr. */
public record Stderr(Integer id, @JsonIgnore byte[] payload) implements Message, Message.WithPayload {

    public Stderr {
        Message.checkId(id);
        payload = Message.orEmpty(payload);
    }

    @Override
    public Stderr withPayload(byte[] bytes) {
        return new Stderr(id, bytes);
    }

    @Override
    public MessageType type() {
        return MessageType.STDERR;
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public String toString() {
        return "Stderr[id=" + id + ", " + payload.length + " bytes]";
    }
}
