package dev.rcon.common.msg;

/** The command of request {@code id} is running as process {@code pid}. */
public record Started(Integer id, long pid) implements Message {

    public Started {
        Message.checkId(id);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.STARTED;
    }
}
