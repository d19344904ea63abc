package dev.rcon.console.client;

import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.PeerText;
import dev.rcon.common.wire.RconException;

/**
 * Could not get a session with a host: unknown, unreachable, refusing, too slow, denying, or
 * not an rcon agent. The message is one line for a person, {@code WHERE: DETAIL}; callers that
 * name the host themselves use {@link #detail()}, and decide by {@link #reason()} or
 * {@link #code()}, never by the text.
 */
public final class ConnectFailure extends RconException {
    /** Why, in the words a fleet summary counts by. */
    public enum Reason { UNREACHABLE, TIMEOUT, DENIED, PROTOCOL, BUSY }

    private final Reason reason;
    private final String detail;
    /** How long the TCP connect took when the failure came after it; -1 when it came before or during it. */
    private long connectNanos = -1;

    /**
     * @param where the host, or {@code host:port}, the failure is about
     * @param detail what went wrong, without the host
     */
    public ConnectFailure(Reason reason, String where, String detail, Throwable cause) {
        this(reason, switch (reason) {
            case DENIED -> ErrorCode.DENIED;
            case BUSY -> ErrorCode.BUSY;
            default -> ErrorCode.IO;
        }, where, detail, cause);
    }

    private ConnectFailure(Reason reason, ErrorCode code, String where, String detail, Throwable cause) {
        // The detail may quote the agent (a refusal's message, a header it sent): escaped, as RemoteException's.
        super(code, where + ": " + PeerText.escape(detail), cause);
        this.reason = reason;
        this.detail = PeerText.escape(detail);
    }

    /** The agent answered the handshake with {@code error} instead of {@code hello}; its code travels on. */
    public static ConnectFailure refused(String where, ErrorReply error) {
        Reason reason = switch (error.code()) {
            case BUSY -> Reason.BUSY;
            case DENIED -> Reason.DENIED;
            default -> Reason.PROTOCOL;
        };
        return new ConnectFailure(reason, error.code(), where, "agent refused the session: " + error.message(), null);
    }

    /** Notes that the TCP connect had succeeded, after {@code nanos}, before this failure. */
    ConnectFailure afterConnect(long nanos) {
        connectNanos = nanos;
        return this;
    }

    /** The TCP connect's time in ms when the failure came after it (a denial, say), else -1. */
    public long connectMs() {
        return connectNanos < 0 ? -1 : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(connectNanos);
    }

    public Reason reason() {
        return reason;
    }

    /** The message without the host it starts with. */
    public String detail() {
        return detail;
    }
}
