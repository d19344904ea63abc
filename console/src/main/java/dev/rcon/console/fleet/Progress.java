package dev.rcon.console.fleet;

import dev.rcon.common.concurrent.Threads;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live status line on a terminal: {@code [37/100 done, 60 running, 2 failed, 3 waiting, 12s]},
 * with {@code N interrupted} after a Ctrl-C (hosts it stopped or kept from starting, as the
 * summary counts them, not failures).
 * Drawn at each host's start and end, and once a second in between so the elapsed time moves,
 * only when the {@link Screen} shows progress (stderr is a terminal and the output is not JSON).
 */
public final class Progress {
    private final Screen screen;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger bad = new AtomicInteger();
    private final AtomicInteger stopped = new AtomicInteger();
    private volatile int total;
    private volatile long start;
    private ScheduledExecutorService ticker;

    public Progress(Screen screen) {
        this.screen = screen;
    }

    synchronized void begin(int hosts) throws IOException {
        total = hosts;
        start = System.nanoTime();
        if (screen.showsProgress()) {
            ticker = Executors.newSingleThreadScheduledExecutor(Threads.named("fleet-progress"));
            ticker.scheduleAtFixedRate(this::drawQuietly, 1, 1, TimeUnit.SECONDS);
        }
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
        if (result.outcome() == Outcome.INTERRUPTED || result.outcome() == Outcome.NOT_STARTED) {
            stopped.incrementAndGet();
        } else if (result.outcome() != Outcome.OK) {
            bad.incrementAndGet();
        }
        draw();
    }

    synchronized void end() throws IOException {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        screen.endStatus();
    }

    private void drawQuietly() {
        try {
            draw();
        } catch (IOException e) {
            // stderr is gone: the run's own writes will say so.
        }
    }

    private void draw() throws IOException {
        int d = done.get();
        int r = running.get();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        int interrupted = stopped.get();
        screen.status("[" + d + "/" + total + " done, " + r + " running, " + bad.get() + " failed, "
                + (interrupted > 0 ? interrupted + " interrupted, " : "") + Math.max(0, total - d - r) + " waiting, "
                + seconds + "s]");
    }
}
