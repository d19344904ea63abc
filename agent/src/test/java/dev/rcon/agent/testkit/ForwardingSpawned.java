package dev.rcon.agent.testkit;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.exec.Spawned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A real started command, passed on whole; a test overrides the one call it holds up or breaks. */
public class ForwardingSpawned implements Spawned {
    private final Spawned real;

    public ForwardingSpawned(Spawned real) {
        this.real = real;
    }

    @Override
    public Process leader() {
        return real.leader();
    }

    @Override
    public void awaitJoined() throws RequestException {
        real.awaitJoined();
    }

    @Override
    public InputStream stdout() {
        return real.stdout();
    }

    @Override
    public InputStream stderr() {
        return real.stderr();
    }

    @Override
    public OutputStream stdin() {
        return real.stdin();
    }

    @Override
    public void endInput() throws IOException {
        real.endInput();
    }

    @Override
    public void resize(int cols, int rows) throws RequestException {
        real.resize(cols, rows);
    }

    @Override
    public boolean wholeSession() {
        return real.wholeSession();
    }

    @Override
    public void leaderExited() {
        real.leaderExited();
    }

    @Override
    public void release() {
        real.release();
    }
}
