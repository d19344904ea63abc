package dev.rcon.agent.channel;

import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ProtocolException;

/**
 * One request in flight on a session: a command, a put or a get. The session opens it at one
 * place, after the key's policy allowed it, then routes every record carrying its id to it.
 * Nothing here may block the session's reader thread: a channel's blocking work (pipes, files,
 * waiting for window) runs on threads of its own.
 */
public interface Channel {
    /** Starts the channel's work; called once, after the session registered it. */
    void open();

    /**
     * A record about this channel ({@code window}, {@code stdin}, {@code data}, {@code signal}),
     * on the session's reader thread.
     *
     * @throws ProtocolException when the record breaks the protocol (a window overrun): the
     *     session closes
     */
    void receive(Message message) throws ProtocolException;

    /**
     * The console can hear nothing more (its session is ending): the channel sends nothing more,
     * and whatever waits for the console's credit gives up and only drains its source. Returns
     * at once; idempotent.
     */
    void consoleGone();

    /** Asks the channel to end: TERM for a command, abandon for a transfer. Returns at once. */
    void terminate();

    /** Ends at once whatever the channel still has, including a command's lingering processes. */
    void kill();

    /** Waits until the channel ended and said its last record, or until the deadline (nanoTime). */
    boolean awaitEnd(long deadlineNanos) throws InterruptedException;

    /** Whether the channel has ended and said its last record. */
    boolean hasEnded();
}
