package dev.rcon.common.msg;

/**
 * Agent to console, once, first: who answered and how much it allows. {@code max_channels} 0
 * says the agent refuses the session: an {@code error} about the session (id null) follows, then
 * {@code close}.
 */
public record Hello(String agent, String host, String user, String session, int maxChannels) implements Message {

    public Hello {
        if (maxChannels < 0) {
            throw new IllegalArgumentException("max_channels must be at least 0 but was " + maxChannels);
        }
    }

    /** Whether the agent refuses the session (its reason follows as an {@code error}). */
    public boolean refusesSession() {
        return maxChannels == 0;
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
