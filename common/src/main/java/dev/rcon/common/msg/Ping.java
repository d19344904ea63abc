package dev.rcon.common.msg;

/** Liveness probe, either direction; answered by {@link Pong} with the same id. */
public record Ping(Integer id) implements Message {

    public Ping {
        Message.checkId(id);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.PING;
    }
}
