package dev.rcon.common.msg;

/** Console to agent: deliver {@code signal} to the process group of request {@code id}. */
public record Signal(Integer id, SignalName signal) implements Message {

    public Signal {
        Message.checkId(id);
        if (signal == null) {
            throw new IllegalArgumentException("missing field 'signal'");
        }
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.SIGNAL;
    }
}
