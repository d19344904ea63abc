package dev.rcon.common.io;

/**
 * Closing what the caller gives up on, where a failure to close changes nothing: a socket of a
 * connection that ended, a pipe of a command that was killed, a file already abandoned.
 */
public final class Closing {
    private Closing() {
    }

    /** Closes {@code closeable} (null is nothing to close); a failure is dropped, an interrupt kept. */
    public static void quietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Closing is all we wanted.
        }
    }
}
