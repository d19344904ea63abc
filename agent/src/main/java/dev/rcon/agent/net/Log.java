package dev.rcon.agent.net;

import java.io.PrintStream;

/**
 * The agent's log: one line per event on stderr, each with a syslog priority prefix so that
 * journald keeps the level. Never a secret, never command output; control characters in what
 * a peer sent are escaped so one event stays one line.
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

    /** Escapes control characters so that a peer's text cannot forge or split log lines. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
