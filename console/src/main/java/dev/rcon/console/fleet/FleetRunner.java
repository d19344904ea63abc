package dev.rcon.console.fleet;

import dev.rcon.common.auth.Key;
import dev.rcon.common.concurrent.TaskThreads;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.io.Closing;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.wire.Limits;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.client.ConnectFailure;
import dev.rcon.console.client.Durations;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.OutputListener;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.RemoteCommand;
import dev.rcon.console.client.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one command on many hosts, at most {@code fanout} at once, each over its own session.
 * A host that cannot be reached costs only its own connect timeout. The first Ctrl-C sends INT
 * to every running command and starts no more hosts; the second sends KILL; the third gives up
 * on every host still connected. A host whose command outlives its {@code --timeout} by
 * {@link #GIVE_UP_AFTER_TIMEOUT} is given up on too: the timeout is the agent's to enforce, and
 * a compromised or wedged host would otherwise hold the run for ever.
 */
public final class FleetRunner {
    /**
     * What to run and how.
     *
     * @param stdin bytes every host gets on stdin, or null for none
     */
    public record Plan(ExecRequest request, byte[] stdin, int fanout, Duration connectTimeout) {
        public Plan {
            if (fanout < 1 || fanout > 10_000) {
                throw new IllegalArgumentException("fanout must be 1 to 10000 but was " + fanout);
            }
        }
    }

    /** What a fleet run does on each host once connected: run the command, or copy a file. */
    @FunctionalInterface
    public interface Job {
        /** The host's part, over {@code client}; {@code start} is when the host began (nanoTime). */
        HostResult run(String host, RconClient client, long start) throws IOException, InterruptedException;
    }

    private static final Duration GIVE_UP_AFTER_TIMEOUT = RemoteCommand.GIVE_UP_AFTER_TIMEOUT;
    /** The Ctrl-C that gives up on every host still connected (the first sends INT, the second KILL). */
    private static final int GIVE_UP_INTERRUPT = RemoteCommand.GIVE_UP_INTERRUPT;

    private final Key key;
    private final Plan plan;
    private final Job job;
    private final FleetOutput output;
    private final java.util.function.Function<String, Target> targets;
    private final Progress progress;
    private final Map<String, RemoteCommand> running = new ConcurrentHashMap<>();
    /** Hosts still connecting or authenticating: Ctrl-C closes their sockets, instead of waiting out the connect timeout. */
    private final Map<String, java.io.Closeable> connecting = new ConcurrentHashMap<>();
    /** Hosts with a session: the third Ctrl-C abandons them, whatever they are doing or ignoring. */
    private final Map<String, RconClient> connected = new ConcurrentHashMap<>();
    private final java.util.Set<String> abandoned = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledThreadPoolExecutor deadlines;
    /** Each host's session reader and polite close, kept for the next host: two thread starts a host fewer. */
    private final TaskThreads hostThreads;
    private final AtomicInteger interrupts = new AtomicInteger();
    /**
     * Whether the job is a copy (put -H, get -H), not a command: a copy has no process to send
     * INT to, so the first Ctrl-C stops it, as it stops a one-host copy; the agent then removes
     * what it had staged and leaves the target as it was.
     */
    private final boolean copies;

    public FleetRunner(Key key, Plan plan, FleetOutput output, Progress progress) {
        this(key, plan, output, progress, Target::parse);
    }

    /** @param targets where each host of the list is reached, and the label its key is for */
    public FleetRunner(Key key, Plan plan, FleetOutput output, Progress progress,
                       java.util.function.Function<String, Target> targets) {
        this(key, plan, output, progress, targets, null);
    }

    /** A run that does {@code job} on each host instead of the plan's command (its request is unused). */
    public FleetRunner(Key key, Plan plan, FleetOutput output, Progress progress,
                       java.util.function.Function<String, Target> targets, Job job) {
        this.job = job != null ? (host, client, start) -> timedCopy(job, host, client, start) : this::execute;
        this.copies = job != null;
        this.targets = targets;
        this.key = key;
        this.plan = plan;
        this.output = output;
        this.progress = progress;
        this.deadlines = new java.util.concurrent.ScheduledThreadPoolExecutor(1, Threads.named("fleet-deadlines"));
        this.hostThreads = new TaskThreads("fleet-idle", java.time.Duration.ofSeconds(5));
        deadlines.setRemoveOnCancelPolicy(true);
    }

    /** Runs on every host; returns one result per host, in the order given. */
    public Summary run(List<String> hosts, ConsoleIO.Interrupts interruptSource) throws Exception {
        long start = System.nanoTime();
        progress.begin(hosts.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(plan.fanout(), Math.max(1, hosts.size())),
                Threads.factory("fleet"));
        List<HostResult> results = new ArrayList<>();
        try (AutoCloseable handler = interruptSource.onInterrupt(this::interrupt)) {
            List<Future<HostResult>> futures = new ArrayList<>();
            for (String host : hosts) {
                futures.add(pool.submit(() -> runHost(host)));
            }
            for (Future<HostResult> f : futures) {
                results.add(f.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            deadlines.shutdownNow();
            hostThreads.close();
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
            progress.end();
        }
        Summary summary = new Summary(results, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        output.finish(summary);
        return summary;
    }

    private void interrupt() {
        int n = interrupts.incrementAndGet();
        if (n >= GIVE_UP_INTERRUPT || copies) {
            connected.forEach(this::abandon);
        } else {
            // Each on a thread of its own (RemoteCommand.interrupt): a host that stopped reading
            // keeps the signal from no other host, nor this handler from returning.
            running.values().forEach(command -> command.interrupt(n));
        }
        connecting.values().forEach(Closing::quietly);
    }

    private void abandon(String host, RconClient client) {
        abandoned.add(host);
        client.abandon();
    }

    /** Notes a host's session; one that got it after the third Ctrl-C (a copy's first) is abandoned at once. */
    private void connected(String host, RconClient client) {
        connected.put(host, client);
        if (interrupts.get() >= GIVE_UP_INTERRUPT || copies && interrupts.get() > 0) {
            abandon(host, client);
        }
    }

    /** What became of a host the third Ctrl-C gave up on, unless it had ended by itself. */
    private HostResult unlessAbandoned(HostResult result, long start) {
        if (!abandoned.contains(result.host()) || result.exit() != null || result.outcome() == Outcome.OK) {
            return result;
        }
        return new HostResult(result.host(), Outcome.INTERRUPTED, null, elapsed(start),
                copies ? "stopped at Ctrl-C" : "the console gave up on it at Ctrl-C " + GIVE_UP_INTERRUPT);
    }

    /** Notes a host's socket while it connects; one opened after Ctrl-C is closed at once. */
    private void connecting(String host, java.io.Closeable socket) {
        connecting.put(host, socket);
        if (interrupts.get() > 0) {
            Closing.quietly(socket);
        }
    }

    private HostResult runHost(String host) throws IOException {
        long start = System.nanoTime();
        HostResult result;
        if (interrupts.get() > 0) {
            result = new HostResult(host, Outcome.NOT_STARTED, null, 0, null);
        } else {
            progress.started();
            result = attempt(host, start);
        }
        output.done(result);
        progress.done(result);
        return result;
    }

    private HostResult attempt(String host, long start) {
        Target target;
        try {
            // Each line starts with the host as listed already: its messages need only the address.
            target = targets.apply(host).named(null);
        } catch (IllegalArgumentException e) {
            return new HostResult(host, Outcome.ERROR, null, elapsed(start), e.getMessage());
        }
        // Known before connecting: a host that is denied or lost is named in its message too.
        output.connected(host, names(host, target, null));
        try (RconClient client = RconClient.connect(target, key, plan.connectTimeout(), socket -> connecting(host, socket),
                hostThreads)) {
            connecting.remove(host);
            connected(host, client);
            output.connected(host, names(host, target, client.hello().host()));
            if (interrupts.get() > 0) {
                return new HostResult(host, Outcome.NOT_STARTED, null, elapsed(start), null);
            }
            return unlessAbandoned(job.run(host, client, start), start);
        } catch (ConnectFailure e) {
            if (connecting.remove(host) != null && interrupts.get() > 0) {
                // Ctrl-C gave up on this host before it could start the command.
                return new HostResult(host, Outcome.NOT_STARTED, null, elapsed(start), null);
            }
            Outcome outcome = e.reason() == ConnectFailure.Reason.DENIED ? Outcome.DENIED : Outcome.UNREACHABLE;
            long total = elapsed(start);
            // A denial comes after the connect: --timing and --json say how long that took.
            return new HostResult(host, outcome, null, total, e.detail(), new HostTiming(e.connectMs(), -1, -1, total));
        } catch (IllegalArgumentException | IOException e) {
            return unlessAbandoned(new HostResult(host, Outcome.ERROR, null, elapsed(start), e.getMessage()), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HostResult(host, Outcome.INTERRUPTED, null, elapsed(start), "interrupted");
        } finally {
            // However the host ended (an error while connecting too), Ctrl-C has nothing of it to close.
            connecting.remove(host);
            connected.remove(host);
        }
    }

    /**
     * A copy under the plan's timeout: a host that wedges mid-copy (a stopped agent keeps its
     * connection open and reads nothing) held a fleet put or get for ever, as a command without
     * --timeout does; with one, its connection is closed once the timeout has passed.
     */
    private HostResult timedCopy(Job copy, String host, RconClient client, long start)
            throws IOException, InterruptedException {
        Duration timeout = plan.request().timeout();
        if (timeout == null) {
            return copy.run(host, client, start);
        }
        AtomicBoolean gaveUp = new AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            gaveUp.set(true);
            client.abandon();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            HostResult result = copy.run(host, client, start);
            // The closed connection may come back as the copy's failure: the timeout is why.
            return gaveUp.get() && result.outcome() != Outcome.OK ? copyTimedOut(host, start, timeout) : result;
        } catch (IOException e) {
            if (!gaveUp.get()) {
                throw e;
            }
            return copyTimedOut(host, start, timeout);
        } finally {
            deadline.cancel(false);
        }
    }

    private static HostResult copyTimedOut(String host, long start, Duration timeout) {
        return new HostResult(host, Outcome.TIMED_OUT, null, elapsed(start), "copy not done after the "
                + Durations.format(timeout) + " timeout; the console gave up on the host");
    }

    /** What a host is called: as listed, the address dialled, its label, and the hostname its agent reported. */
    private static List<String> names(String host, Target target, String reported) {
        return java.util.stream.Stream.of(Target.parse(host).host(), target.host(), target.label(), reported)
                .filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The command of the plan on one connected host. */
    private HostResult execute(String host, RconClient client, long start) throws IOException, InterruptedException {
        AtomicLong firstByte = new AtomicLong();
        long sent = System.nanoTime();
        RemoteCommand command = client.exec(plan.request(), listener(host, firstByte));
        running.put(host, command);
        AtomicBoolean gaveUp = new AtomicBoolean();
        giveUpAfterTimeout(client, command, gaveUp);
        boolean interruptedWhileRunning;
        Exit exit;
        try {
            if (interrupts.get() > 0) {
                command.interrupt(interrupts.get());
            }
            sendStdin(command);
            exit = command.await();
        } catch (IOException e) {
            if (!gaveUp.get()) {
                throw e;
            }
            return new HostResult(host, Outcome.TIMED_OUT, null, elapsed(start), "no exit "
                    + Durations.format(GIVE_UP_AFTER_TIMEOUT) + " after the " + Durations.format(plan.request().timeout())
                    + " timeout; the console gave up on the host");
        } finally {
            running.remove(host);
            interruptedWhileRunning = interrupts.get() > 0;
        }
        boolean succeeded = exit.code() != null && exit.code() == 0 && !exit.timedOut();
        // A command that took the Ctrl-C's INT and still exited 0 (or was done before it came)
        // did its work: counted interrupted, it went to @failed and -H @failed ran it again.
        Outcome outcome = succeeded ? Outcome.OK
                : interruptedWhileRunning ? Outcome.INTERRUPTED
                : exit.timedOut() ? Outcome.TIMED_OUT : Outcome.FAILED;
        long first = firstByte.get();
        HostTiming timing = new HostTiming(client.connectTime().toMillis(), client.authTime().toMillis(),
                first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - sent), elapsed(start));
        return new HostResult(host, outcome, exit, timing.totalMs(), null, timing);
    }

    /**
     * Abandons {@code client} once the command's timeout and the margin have passed in the host's
     * time ({@link RemoteCommand#hostTime}): an exit held back behind output the local reader has
     * not taken yet (a pager) is not the host's delay. Nothing without a timeout.
     */
    private void giveUpAfterTimeout(RconClient client, RemoteCommand command, AtomicBoolean gaveUp) {
        Duration timeout = plan.request().timeout();
        if (timeout != null) {
            checkAfter(timeout.plus(GIVE_UP_AFTER_TIMEOUT), client, command, gaveUp);
        }
    }

    private void checkAfter(Duration limit, RconClient client, RemoteCommand command, AtomicBoolean gaveUp) {
        Duration left = limit.minus(command.hostTime());
        if (command.isDone()) {
            return;
        }
        if (left.compareTo(Duration.ZERO) > 0) {
            try {
                deadlines.schedule(() -> checkAfter(limit, client, command, gaveUp),
                        RemoteCommand.atLeast(left).toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException runOver) {
                // The run is over: nothing left to give up on.
            }
            return;
        }
        gaveUp.set(true);
        client.abandon();
    }

    private void sendStdin(RemoteCommand command) throws IOException {
        byte[] stdin = plan.stdin();
        if (stdin == null) {
            return;
        }
        for (int off = 0; off < stdin.length; off += Limits.CHUNK) {
            command.stdin(Arrays.copyOfRange(stdin, off, Math.min(stdin.length, off + Limits.CHUNK)));
        }
        command.closeStdin();
    }

    /** Passes output on, and notes when its first byte came. */
    private OutputListener listener(String host, AtomicLong firstByte) {
        return new OutputListener() {
            @Override
            public void started(long pid) throws IOException {
                output.started(host, pid);
            }

            @Override
            public void stdout(byte[] bytes) throws IOException {
                firstByte.compareAndSet(0, System.nanoTime());
                output.stdout(host, bytes);
            }

            @Override
            public void stderr(byte[] bytes) throws IOException {
                firstByte.compareAndSet(0, System.nanoTime());
                output.stderr(host, bytes);
            }
        };
    }

    static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
