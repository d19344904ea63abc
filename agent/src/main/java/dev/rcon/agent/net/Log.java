package dev.rcon.agent.net;

import java.io.PrintStream;

/**
 * The agent's log: one line per event on stderr, each with a syslog priority prefix so that
 * journald keeps the level. Never a secret, never command output; control characters in what
 * a peer sent are escaped (see {@link #escape}) so that one event stays one line and reads as
 * what it is.
 */
public final class Log {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
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
     * Escapes, as <code>&#92;uXXXX</code>, every character that could forge, split or disguise a log line:
     * controls (Cc, such as newline and NEL), format characters (Cf, such as U+202E which reverses
     * the text after it, or zero-width ones), line and paragraph separators (Zl, Zp), and
     * surrogates that are not part of a pair. A character outside the BMP is escaped as its two
     * surrogates.
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (unsafe(cp)) {
                for (int j = i; j < i + n; j++) {
                    char c = text.charAt(j);
                    sb.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                            .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                }
            } else {
                sb.appendCodePoint(cp);
            }
            i += n;
        }
        return sb.toString();
    }

    private static boolean unsafe(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE:
                return true;
            default:
                return false;
        }
    }
}
