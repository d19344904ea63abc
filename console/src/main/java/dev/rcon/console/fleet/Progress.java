package dev.rcon.console.fleet;

import dev.rcon.common.concurrent.Threads;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live status line on a terminal: {@code [37/100 done, 60 running, 2 failed, 3 waiting, 12s]},
 * with every other way a host ended that some host did, in the summary's words and order
 * ({@code 1 unreachable}, {@code 1 denied}, {@code 2 interrupted} after a Ctrl-C...): a host
 * that could not be reached is not one whose command failed, and the line said so until the
 * summary contradicted it.
 * Drawn at each host's start and end, and once a second in between so the elapsed time moves,
 * only when the {@link Screen} shows progress (stderr is a terminal and the output is not JSON).
 */
public final class Progress {
    private final Screen screen;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    /** Hosts done, by how they ended; filled once, so reading it needs no lock. */
    private final Map<Outcome, AtomicInteger> ended = new EnumMap<>(Outcome.class);
    private volatile int total;
    private volatile long start;
    private ScheduledExecutorService ticker;

    public Progress(Screen screen) {
        this.screen = screen;
        for (Outcome outcome : Outcome.values()) {
            ended.put(outcome, new AtomicInteger());
        }
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
        ended.get(result.outcome()).incrementAndGet();
        done.incrementAndGet();
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
        StringBuilder line = new StringBuilder("[" + d + "/" + total + " done, " + r + " running, "
                + ended.get(Outcome.FAILED).get() + " failed, ");
        for (Outcome outcome : Outcome.values()) {
            int n = ended.get(outcome).get();
            if (outcome != Outcome.OK && outcome != Outcome.FAILED && n > 0) {
                line.append(n).append(' ').append(outcome.label()).append(", ");
            }
        }
        screen.status(line.append(Math.max(0, total - d - r)).append(" waiting, ").append(seconds).append("s]").toString());
    }
}
