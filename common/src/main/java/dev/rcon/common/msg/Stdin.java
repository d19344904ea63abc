package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** Console to agent: bytes for the command's stdin; {@code eof} closes it. */
public record Stdin(Integer id, Boolean eof, @JsonIgnore byte[] payload)
        implements Message, Message.WithPayload {

    public Stdin {
        Message.checkId(id);
        if (Boolean.FALSE.equals(eof)) {
            eof = null;
        }
        payload = Message.orEmpty(payload);
    }

    public static Stdin bytes(int id, byte[] payload) {
        return new Stdin(id, null, payload);
    }

    public static Stdin eof(int id) {
        return new Stdin(id, true, null);
    }

    public boolean isEof() {
        return Boolean.TRUE.equals(eof);
    }

    @Override
    public Stdin withPayload(byte[] bytes) {
        return new Stdin(id, eof, bytes);
    }

    @Override
    public MessageType type() {
        return MessageType.STDIN;
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public String toString() {
        return "Stdin[id=" + id + ", eof=" + isEof() + ", " + payload.length + " bytes]";
    }
}
