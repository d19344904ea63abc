package dev.rcon.console.cli;

import dev.rcon.common.concurrent.Threads;
import dev.rcon.console.client.Target;
import dev.rcon.console.fleet.KeyRotation;
import dev.rcon.console.fleet.KeyRotation.Result;
import dev.rcon.console.fleet.KeyRotation.Status;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code rcon rotate} over a list: each host's line is printed as soon as that host is done,
 * so a run that is killed has already said which hosts it rotated. The first Ctrl-C starts no
 * more hosts and lets those in flight finish their steps (each is short, and stopping one midway
 * is what leaves a host with both keys); the second stops waiting. Every host is then named with
 * the state it was left in.
 */
final class RotationRun {
    /** Stands for the second Ctrl-C among the results. */
    private static final Result GIVE_UP = new Result("", Status.INTERRUPTED, "");

    private final KeyRotation rotation;
    private final String newKey;
    private final PrintWriter out;
    private final PrintWriter err;
    private final AtomicInteger interrupts = new AtomicInteger();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();

    /** @param newKey the new key's file, as the operator named it */
    RotationRun(KeyRotation rotation, String newKey, PrintWriter out, PrintWriter err) {
        this.rotation = rotation;
        this.newKey = newKey;
        this.out = out;
        this.err = err;
    }

    /** Rotates every host of {@code targets} (host as named, in list order); returns the exit status. */
    int run(Map<String, Target> targets, int fanout, ConsoleIO.Interrupts ctrlC) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(fanout, targets.size()), Threads.factory("rotate"));
        try (AutoCloseable handler = ctrlC.onInterrupt(this::interrupt)) {
            targets.forEach((host, target) -> pool.submit(() -> results.add(rotate(host, target))));
            Map<Status, Integer> counts = collect(targets.keySet());
            return summary(targets.size(), counts);
        } finally {
            pool.shutdownNow();
        }
    }

    private Result rotate(String host, Target target) {
        // Marked first: a second Ctrl-C between the check and the mark would call a host that
        // then starts "not started, unchanged"; the other way round it is only called interrupted.
        started.add(host);
        if (interrupts.get() > 0) {
            return new Result(host, Status.NOT_STARTED, "stopped at Ctrl-C before it began");
        }
        try {
            return rotation.rotate(host, target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(host, Status.INTERRUPTED, "interrupted");
        } catch (RuntimeException e) {
            // A bug of ours mid-steps: the host may hold either key, and the run must not exit 0.
            return new Result(host, Status.UNFINISHED, "failed: " + e);
        }
    }

    private void interrupt() {
        int n = interrupts.incrementAndGet();
        if (n == 1) {
            synchronized (err) {
                err.println("rotate: Ctrl-C: starting no more hosts; the hosts in flight finish their steps"
                        + " (Ctrl-C again to stop waiting for them)");
                err.flush();
            }
        } else if (n == 2) {
            results.add(GIVE_UP);
        }
    }

    /** Prints each host's line as it comes, until every host is done or the run gives up on the rest. */
    private Map<Status, Integer> collect(Set<String> hosts) throws InterruptedException {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        Set<String> left = new LinkedHashSet<>(hosts);
        while (!left.isEmpty()) {
            Result r = results.take();
            if (r == GIVE_UP) {
                for (String host : left) {
                    Result stopped = started.contains(host)
                            ? new Result(host, Status.INTERRUPTED, "the console stopped waiting for it at Ctrl-C")
                            : new Result(host, Status.NOT_STARTED, "stopped at Ctrl-C before it began");
                    print(stopped, counts);
                }
                break;
            }
            if (left.remove(r.host())) {
                print(r, counts);
            }
        }
        return counts;
    }

    private void print(Result r, Map<Status, Integer> counts) {
        counts.merge(r.status(), 1, Integer::sum);
        synchronized (err) {
            switch (r.status()) {
                case ROTATED -> out.println(r.host() + ": rotated (" + r.detail() + ")");
                case KEPT_OLD_KEY -> err.println(r.host() + ": kept its old key: " + r.detail());
                case UNREACHABLE -> err.println(r.host() + ": unreachable, unchanged: " + r.detail());
                case NEITHER_KEY -> err.println(r.host() + ": neither key logs in: " + r.detail());
                case UNFINISHED -> err.println(r.host() + ": rotation unfinished: " + r.detail()
                        + "; it holds the old key, the new one or both: run rotate again to finish");
                case NOT_STARTED -> err.println(r.host() + ": not started, unchanged: " + r.detail());
                case INTERRUPTED -> err.println(r.host() + ": interrupted mid-rotation: " + r.detail()
                        + "; it holds the old key, the new one or both: run rotate again to finish");
            }
            out.flush();
            err.flush();
        }
    }

    private int summary(int hosts, Map<Status, Integer> counts) {
        int rotated = counts.getOrDefault(Status.ROTATED, 0);
        StringBuilder line = new StringBuilder("rotate: " + rotated + " of " + hosts + " hosts rotated, "
                + counts.getOrDefault(Status.KEPT_OLD_KEY, 0) + " kept their old key, "
                + counts.getOrDefault(Status.UNREACHABLE, 0) + " unreachable");
        Map<Status, String> extra = new LinkedHashMap<>();
        extra.put(Status.NEITHER_KEY, " where neither key logs in");
        extra.put(Status.UNFINISHED, " unfinished");
        extra.put(Status.NOT_STARTED, " not started");
        extra.put(Status.INTERRUPTED, " interrupted mid-rotation");
        extra.forEach((status, words) -> {
            if (counts.containsKey(status)) {
                line.append(", ").append(counts.get(status)).append(words);
            }
        });
        line.append(rotated == hosts ? "; now make " + newKey + " your key" : "; keep the old key until every host is rotated");
        synchronized (err) {
            err.println(line);
            err.flush();
        }
        if (interrupts.get() > 0) {
            return ExitCodes.INTERRUPTED;
        }
        return counts.containsKey(Status.UNREACHABLE) || counts.containsKey(Status.NEITHER_KEY)
                ? ExitCodes.FLEET_SOME_UNREACHABLE
                : counts.containsKey(Status.KEPT_OLD_KEY) || counts.containsKey(Status.UNFINISHED)
                        || counts.containsKey(Status.INTERRUPTED)
                ? ExitCodes.FLEET_SOME_FAILED : ExitCodes.OK;
    }
}
