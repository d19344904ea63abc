package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A command in a cgroup (v2) of its own. The process joins it before the command's first
 * instruction, and every process it forks is born inside, whatever it does with sessions and
 * process groups; so the KILL at the end ({@code cgroup.kill}, or freeze, KILL each, thaw on
 * kernels before 5.14) reaches a {@code setsid} or double-forked escapee too. Closing removes
 * the directory (and any the command made below it) once nothing is left inside.
 */
final class CgroupScope implements CommandScope {
    /** What the join says on stdout once it is in, before the command can write anything. */
    static final int JOINED = 'J';
    /** The status of a dash (or bash) that cannot parse its first line, or start. */
    private static final int SHELL_REFUSED = 2;
    /** How long a KILLed cgroup may take to empty before its directory is left for systemd. */
    private static final Duration EMPTY_WAIT = Duration.ofSeconds(2);
    private static final Duration FREEZE_WAIT = Duration.ofSeconds(1);

    private final Path dir;
    private final boolean cgroupKill;
    private final Consumer<String> warn;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long pgid;

    /**
     * @param dir the cgroup, made for this command and empty
     * @param cgroupKill whether to end it through {@code cgroup.kill} rather than the freezer
     * @param warn where a cgroup that cannot be removed is reported
     */
    CgroupScope(Path dir, boolean cgroupKill, Consumer<String> warn) {
        this.dir = dir;
        this.cgroupKill = cgroupKill;
        this.warn = warn;
    }

    Path dir() {
        return dir;
    }

    /**
     * Writes the shell's own pid (not a variable's: {@code $$}) into {@code cgroup.procs}, then
     * the marker; the path is the agent's, quoted whole.
     */
    @Override
    public String joinLine() {
        String procs = dir.resolve("cgroup.procs").toString();
        return "echo $$ >'" + procs.replace("'", "'\\''") + "' && printf " + (char) JOINED + " || exit 126";
    }

    @Override
    public void started(Process process, ProcessPipes pipes, boolean inCommandShell) throws RequestException {
        pgid = process.pid();
        int marker;
        try {
            marker = pipes.stdout().read();
        } catch (IOException e) {
            marker = -1;
        }
        if (marker == JOINED) {
            return;
        }
        boolean ended = awaitExit(process);
        if (!(ended && inCommandShell && marker < 0 && process.exitValue() == SHELL_REFUSED)) {
            throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot start the command in cgroup " + dir + ": "
                    + (ended ? whyNotJoined(process, pipes.stderr())
                            : Thread.currentThread().isInterrupted() ? "interrupted" : "the join did not finish"));
        }
    }

    private static boolean awaitExit(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What the join said before it gave up; the process has exited. */
    private static String whyNotJoined(Process process, InputStream stderr) {
        try (InputStream err = stderr) {
            String text = new String(err.readNBytes(512), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "exit status " + process.exitValue() : text.lines().findFirst().orElse(text);
        } catch (IOException e) {
            return "exit status " + process.exitValue();
        }
    }

    /**
     * One kill(1): the command's process group as a group, so that it gets the signal at once as
     * it would from a terminal, and each member outside that group by PID.
     */
    @Override
    public void signal(int number) {
        if (closed) {
            return;
        }
        List<String> targets = new ArrayList<>();
        boolean group = false;
        for (long pid : members()) {
            long pgrp = ProcessGroups.groupOf(Path.of("/proc", Long.toString(pid)));
            if (pgrp == pgid) {
                group = true;
            } else if (pgrp > 0) {
                targets.add(Long.toString(pid));
            }
        }
        if (group) {
            targets.add(0, "-" + pgid);
        }
        if (!targets.isEmpty()) {
            ProcessGroups.kill(number, targets);
        }
    }

    /**
     * One rmdir, which the kernel refuses while a process, or a cgroup the command made, is
     * inside: reading {@code cgroup.events} twice (is anything left? then close) cost about
     * 0.6 ms at the end of every command on this box.
     */
    @Override
    public boolean closeIfEmpty() {
        if (!closing.get()) {
            try {
                Files.delete(dir);
                closing.set(true);
                closed = true;
                return true;
            } catch (NoSuchFileException e) {
                closed = true;
                return true;
            } catch (IOException e) {
                // Busy: members, or cgroups of the command's own below; the full check decides.
            }
        }
        return CommandScope.super.closeIfEmpty();
    }

    @Override
    public boolean hasMembers() {
        return !closed && populated();
    }

    /** Once closing, the close does the killing (and the directory may be gone). */
    @Override
    public void killAll() {
        if (!closing.get()) {
            kill();
        }
    }

    private synchronized void kill() {
        if (cgroupKill) {
            try {
                Files.writeString(dir.resolve("cgroup.kill"), "1");
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                // Fall through to the freezer, which every kernel with cgroup.kill has too.
            }
        }
        freezeAndKill();
    }

    /**
     * Frozen, no process in the cgroup can fork; once the kernel says the freeze is complete the
     * list of members is final. A fatal signal still ends a frozen process.
     */
    private void freezeAndKill() {
        try {
            Files.writeString(dir.resolve("cgroup.freeze"), "1");
            awaitEvent("frozen", "1", FREEZE_WAIT);
            for (long pid : members()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Files.writeString(dir.resolve("cgroup.freeze"), "0");
        } catch (NoSuchFileException e) {
            // Removed: nothing was left in it.
        } catch (IOException e) {
            warn.accept("cannot kill the processes of cgroup " + dir + ": " + e.getMessage());
        }
    }

    /** Every process in the cgroup and in any cgroup the command made below it. */
    private List<Long> members() {
        List<Long> pids = new ArrayList<>();
        try {
            for (Path cgroup : tree(dir)) {
                for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.strip()));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // A cgroup that went away while being read has no members to list.
        }
        return pids;
    }

    /** {@code cgroup} and its descendants, deepest first. Nothing under cgroupfs is a link. */
    private static List<Path> tree(Path cgroup) throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(cgroup,
                p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path child : children) {
                all.addAll(tree(child));
            }
        }
        all.add(cgroup);
        return all;
    }

    /** Whether a live process is in the cgroup or below it; a cgroup that is gone holds none. */
    private boolean populated() {
        try {
            return !"0".equals(events().get("populated"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private Map<String, String> events() throws IOException {
        Map<String, String> events = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("cgroup.events"))) {
            String[] kv = line.split(" ", 2);
            if (kv.length == 2) {
                events.put(kv[0], kv[1].strip());
            }
        }
        return events;
    }

    /**
     * Waits until {@code cgroup.events} says {@code key value}. The kernel notifies inotify
     * watchers of the cgroup's directory when that file changes, so this waits on events.
     */
    private boolean awaitEvent(String key, String value, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
            while (!value.equals(events().get(key))) {
                long left = deadline - System.nanoTime();
                WatchKey changed = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                if (changed == null) {
                    return false;
                }
                changed.pollEvents();
                changed.reset();
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** KILLs what is left, waits (bounded) for the cgroup to empty, and removes it. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (populated()) {
                kill();
                if (!awaitEvent("populated", "0", EMPTY_WAIT)) {
                    warn.accept("cgroup " + dir + " still has processes " + EMPTY_WAIT.toMillis()
                            + " ms after KILL; leaving it");
                    return;
                }
            }
            for (Path cgroup : tree(dir)) {
                Files.delete(cgroup);
            }
        } catch (NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            warn.accept("cannot remove cgroup " + dir + ": " + e.getMessage());
        } finally {
            closed = true;
        }
    }

    @Override
    public String toString() {
        return "cgroup " + dir;
    }
}
