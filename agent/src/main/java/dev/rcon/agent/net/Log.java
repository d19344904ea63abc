package dev.rcon.agent.net;

import dev.rcon.common.wire.PeerText;
import java.io.PrintStream;

/**
 * The agent's log: one line per event on stderr, each with a syslog priority prefix so that
 * journald keeps the level. Never a secret, never command output; control characters in what
 * a peer sent are escaped (see {@link #escape}) so that one event stays one line and reads as
 * what it is.
 */
public final class Log {
    private final PrintStream out;

    public Log(PrintStream out) {
        this.out = out;
    }

    public void info(String message) {
        line(6, message);
    }

    public void warn(String message) {
        line(4, message);
    }

    public void error(String message) {
        line(3, message);
    }

    private void line(int priority, String message) {
        String text = "<" + priority + ">" + escape(message);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    /**
     * Escapes every character that could forge, split or disguise a log line, as
     * {@link PeerText#escape} does for everything rcon prints of what a peer sent.
     */
    public static String escape(String text) {
        return PeerText.escape(text);
    }
}
