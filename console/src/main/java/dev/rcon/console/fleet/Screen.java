package dev.rcon.console.fleet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one lock over local stdout and stderr during a fleet run. Each write is whole, so lines
 * of different hosts never mix. On a terminal it also keeps a progress line at the bottom of
 * stderr, cleared before each write and drawn again after.
 */
public final class Screen {
    private static final byte[] CLEAR = "\r\033[K".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final OutputStream err;
    private final boolean progress;
    private String status = "";
    private boolean outClosed;

    public Screen(OutputStream out, OutputStream err, boolean progress) {
        this.out = out;
        this.err = err;
        this.progress = progress;
    }

    /**
     * Writes to stdout. Once stdout is closed ({@code rcon -H ... | head}) its output is dropped
     * and the run goes on to its summary, as the hosts' results still matter.
     */
    public synchronized void out(byte[] bytes) throws IOException {
        if (outClosed) {
            return;
        }
        try {
            write(out, bytes);
        } catch (IOException e) {
            outClosed = true;
        }
    }

    public synchronized void err(byte[] bytes) throws IOException {
        write(err, bytes);
    }

    private void write(OutputStream stream, byte[] bytes) throws IOException {
        hideStatus();
        stream.write(bytes);
        stream.flush();
        showStatus();
    }

    /** Whether a progress line is shown at all: stderr is a terminal and the output is not JSON. */
    public boolean showsProgress() {
        return progress;
    }

    /** Replaces the progress line (only on a terminal). */
    public synchronized void status(String text) throws IOException {
        if (!progress) {
            return;
        }
        hideStatus();
        status = text;
        showStatus();
    }

    /** Removes the progress line for good. */
    public synchronized void endStatus() throws IOException {
        hideStatus();
        status = "";
    }

    private void hideStatus() throws IOException {
        if (progress && !status.isEmpty()) {
            err.write(CLEAR);
            err.flush();
        }
    }

    private void showStatus() throws IOException {
        if (progress && !status.isEmpty()) {
            err.write(status.getBytes(StandardCharsets.UTF_8));
            err.flush();
        }
    }
}
