package dev.rcon.agent.channel;

import dev.rcon.common.msg.Message;
import java.io.IOException;

/**
 * What a channel gets from its session.
 *
 * @param id the request's id
 * @param name prefix of the channel's thread names, e.g. {@code exec-1a2b3c4d-7}
 * @param out the session's writer
 * @param onEnd called once when the channel has ended, so the session forgets it
 */
public record Link(int id, String name, Outbound out, Runnable onEnd) {

    /** Where a channel's records go: the session's one synchronized writer. */
    @FunctionalInterface
    public interface Outbound {
        void send(Message message) throws IOException;
    }
}
