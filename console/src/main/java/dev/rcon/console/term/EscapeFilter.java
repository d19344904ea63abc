package dev.rcon.console.term;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * ssh's escape character for typed bytes: recognized only right after a newline (or at the
 * start). {@code ~.} disconnects, {@code ~^Z} suspends the console, {@code ~?} lists the
 * escapes, {@code ~~} sends one {@code ~}; the escape character followed by anything else is
 * sent as typed. Not thread-safe: one
 * reader of the keyboard feeds it.
 */
final class EscapeFilter {
    /** No escape character: every byte is sent. */
    static final int NONE = -1;
    /** Ctrl-Z, which after the escape character suspends the console as it suspends ssh. */
    private static final int CTRL_Z = 0x1a;

    /** Where the filtered keystrokes go. */
    interface Sink {
        void send(byte[] bytes) throws IOException;

        void help() throws IOException;

        /** Stops the console until it is continued ({@code fg}); the session stays open. */
        void suspend() throws IOException;

        void disconnect();
    }

    private final int escape;
    private boolean atLineStart = true;
    private boolean afterEscape;
    private boolean disconnected;

    /** @param escape the escape character (a byte), or {@link #NONE} */
    EscapeFilter(int escape) {
        this.escape = escape;
    }

    /** The help {@code ~?} prints, with the escape character in it; lines end in CRLF (raw mode). */
    String help() {
        String e = String.valueOf((char) escape);
        return "Supported escape sequences:\r\n"
                + " " + e + ".   - disconnect (the remote command is ended)\r\n"
                + " " + e + "^Z  - suspend rcon (fg resumes the session)\r\n"
                + " " + e + "?   - this message\r\n"
                + " " + e + e + "   - send the escape character by typing it twice\r\n"
                + "(Note that escapes are only recognized immediately after newline.)\r\n";
    }

    /** Filters {@code n} typed bytes into {@code sink}; after a disconnect nothing more is sent. */
    void feed(byte[] buf, int n, Sink sink) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 1);
        for (int i = 0; i < n && !disconnected; i++) {
            int b = buf[i] & 0xFF;
            if (afterEscape) {
                afterEscape = false;
                if (b == '.') {
                    flush(out, sink);
                    disconnected = true;
                    sink.disconnect();
                    return;
                }
                if (b == '?') {
                    flush(out, sink);
                    sink.help();
                    atLineStart = true;
                    continue;
                }
                if (b == CTRL_Z && escape != CTRL_Z) {
                    flush(out, sink);
                    sink.suspend();
                    atLineStart = true;
                    continue;
                }
                out.write(escape);
                if (b == escape) {
                    atLineStart = false;
                    continue;
                }
            } else if (escape != NONE && atLineStart && b == escape) {
                afterEscape = true;
                continue;
            }
            out.write(b);
            atLineStart = b == '\r' || b == '\n';
        }
        flush(out, sink);
    }

    private static void flush(ByteArrayOutputStream out, EscapeFilter.Sink sink) throws IOException {
        if (out.size() > 0) {
            sink.send(out.toByteArray());
            out.reset();
        }
    }
}
