package dev.rcon.console.term;

import dev.rcon.common.msg.Pty;

/** A terminal's size, within what the protocol carries (1 to 10000 each way). */
record TerminalSize(int cols, int rows) {
    static final TerminalSize DEFAULT = new TerminalSize(80, 24);

    /** A size a terminal reported; 0 (unknown) gives the default. */
    static TerminalSize of(int cols, int rows) {
        if (cols <= 0 || rows <= 0) {
            return DEFAULT;
        }
        return new TerminalSize(Math.min(cols, Pty.MAX_SIZE), Math.min(rows, Pty.MAX_SIZE));
    }
}
