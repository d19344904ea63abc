package dev.rcon.console.fleet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** The live progress line on a terminal: done, running, failed, of how many. */
public final class Progress {
    private final Screen screen;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger bad = new AtomicInteger();
    private volatile int total;

    public Progress(Screen screen) {
        this.screen = screen;
    }

    void begin(int hosts) throws IOException {
        total = hosts;
        draw();
    }

    void started() throws IOException {
        running.incrementAndGet();
        draw();
    }

    void done(HostResult result) throws IOException {
        if (result.outcome() != Outcome.NOT_STARTED) {
            running.decrementAndGet();
        }
        done.incrementAndGet();
        if (result.outcome() != Outcome.OK) {
            bad.incrementAndGet();
        }
        draw();
    }

    void end() throws IOException {
        screen.endStatus();
    }

    private void draw() throws IOException {
        screen.status("[" + done.get() + "/" + total + " done, " + running.get() + " running, " + bad.get() + " not ok]");
    }
}
