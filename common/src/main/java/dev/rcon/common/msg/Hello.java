package dev.rcon.common.msg;

/** Agent to console, once, first: who answered and how much it allows. */
public record Hello(String agent, String host, String user, String session, int maxChannels) implements Message {

    public Hello {
        if (maxChannels < 1) {
            throw new IllegalArgumentException("max_channels must be at least 1 but was " + maxChannels);
        }
    }

    @Override
    public Integer requestId() {
        return null;
    }

    @Override
    public MessageType type() {
        return MessageType.HELLO;
    }
}
