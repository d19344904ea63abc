package dev.rcon.console.io;

import dev.rcon.console.client.OutputListener;
import java.io.IOException;
import java.io.OutputStream;

/** Remote bytes straight to local stdout and stderr, flushed as they arrive, never re-encoded. */
public final class RawOutput implements OutputListener {
    private final OutputStream out;
    private final OutputStream err;

    public RawOutput(OutputStream out, OutputStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void stdout(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void stderr(byte[] bytes) throws IOException {
        err.write(bytes);
        err.flush();
    }
}
