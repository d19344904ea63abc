package dev.rcon.common.msg;

/** The sender sends nothing more; on the agent this ends every process group of the session. */
public record Close() implements Message {

    @Override
    public Integer requestId() {
        return null;
    }

    @Override
    public MessageType type() {
        return MessageType.CLOSE;
    }
}
