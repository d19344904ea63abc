package dev.rcon.console.client;

import java.io.IOException;

/**
 * Receives a command's output on the connection's reader thread, in arrival order. Blocking
 * here blocks the connection, which is how a slow local terminal slows the remote command.
 */
public interface OutputListener {
    /** The command started as remote process {@code pid}; before any of its output. */
    default void started(long pid) throws IOException {
    }

    void stdout(byte[] bytes) throws IOException;

    void stderr(byte[] bytes) throws IOException;

    /** A listener that keeps nothing. */
    OutputListener DISCARD = new OutputListener() {
        @Override
        public void stdout(byte[] bytes) {
        }

        @Override
        public void stderr(byte[] bytes) {
        }
    };
}
