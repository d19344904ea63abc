package dev.rcon.common.msg;

/** The answer to a {@link Ping}. */
public record Pong(Integer id) implements Message {

    public Pong {
        Message.checkId(id);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.PONG;
    }
}
