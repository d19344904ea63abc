package dev.rcon.agent.channel;

import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.msg.Message;
import java.io.IOException;
import java.util.Arrays;

/**
 * What a channel gets from its session.
 *
 * @param id the request's id
 * @param name prefix of the channel's thread names, e.g. {@code exec-1a2b3c4d-7}
 * @param out the session's writer
 * @param threads where the channel's threads come from (the agent's kept ones)
 * @param onEnd called once when the channel has ended, so the session forgets it
 * @param inputDone called when the channel will hold no more of the console's input (a command's
 *     stdin was closed), so that the agent's input slot it holds goes back before its end; may be
 *     called more than once, and {@code onEnd} gives the slot back too if it was never called
 */
public record Link(int id, String name, Outbound out, TaskStarter threads, Runnable onEnd, Runnable inputDone) {

    /** A link for a channel that holds no input slot and starts threads of its own. */
    public Link(int id, String name, Outbound out, Runnable onEnd) {
        this(id, name, out, TaskStarter.newThreads(), onEnd, () -> { });
    }

    /** Where a channel's records go: the session's one synchronized writer. */
    @FunctionalInterface
    public interface Outbound {
        void send(Message message) throws IOException;

        /**
         * Sends {@code carrier} with {@code buf[off, off + len)} as its payload. A session's
         * writer does it without copying the slice; this default (for tests that collect
         * messages) sends a copy.
         */
        default void send(Message.WithPayload carrier, byte[] buf, int off, int len) throws IOException {
            send(carrier.withPayload(Arrays.copyOfRange(buf, off, off + len)));
        }
    }
}
