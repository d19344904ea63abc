package dev.rcon.common.wire;

/**
 * This side has sent {@code close} and so, by rcon/1, sends nothing more. The message names what
 * was about to go out, so that a late sender (an output pump, a timer) shows up in a log.
 */
public final class SessionClosedException extends RconException {
    public SessionClosedException(String type) {
        super(ErrorCode.IO, "cannot send " + type + ": this side has sent close");
    }
}
