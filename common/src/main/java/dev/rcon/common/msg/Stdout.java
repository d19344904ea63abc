package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Agent to console: raw bytes the command of request {@code id} wrote to its stdout. */
public record Stdout(Integer id, @JsonIgnore byte[] payload) implements Message, Message.WithPayload {

    public Stdout {
        Message.checkId(id);
        payload = Message.orEmpty(payload);
    }

    @Override
    public Stdout withPayload(byte[] bytes) {
        return new Stdout(id, bytes);
    }

    @Override
    public MessageType type() {
        return MessageType.STDOUT;
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public String toString() {
        return "Stdout[id=" + id + ", " + payload.length + " bytes]";
    }
}
