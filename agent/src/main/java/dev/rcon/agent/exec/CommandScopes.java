package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.concurrent.TaskStarter;
import dev.rcon.common.files.FileErrors;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Makes the {@link CommandScope} of each command, of the one kind chosen once at agent start: a
 * cgroup of its own below the agent's when the agent may make one (systemd gives a unit with
 * {@code Delegate=yes} its cgroup to manage; so does a root shell on a cgroup v2 host), else the
 * process group. Controllers are never enabled: the agent stays in its own cgroup beside the
 * commands', which cgroup v2 allows only while no controller is enabled below it.
 */
public final class CommandScopes implements AutoCloseable {
    /** Every command's cgroup is named {@code cmd-<agent pid>-<n>}. */
    public static final String NAME_PREFIX = "cmd-";
    private static final Path PROC_CGROUP = Path.of("/proc/self/cgroup");
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final Path home;
    private final boolean cgroupKill;
    private final String description;
    private final Consumer<String> warn;
    private final AtomicLong serial = new AtomicLong();
    private final AtomicLong expected = new AtomicLong();
    /** Null with process groups. */
    private final JoinPrimer primer;

    private CommandScopes(Path home, boolean cgroupKill, String description, Consumer<String> warn) {
        this.home = home;
        this.cgroupKill = cgroupKill;
        this.description = description;
        this.warn = warn;
        this.primer = home == null ? null : new JoinPrimer(home.resolve("cgroup.procs"), ProcessHandle.current().pid(), warn);
    }

    /** Process groups only, for {@code reason} (said in {@link #describe}). */
    public static CommandScopes processGroups(String reason) {
        return new CommandScopes(null, false, "process groups (" + reason + ")", message -> { });
    }

    /**
     * Cgroups below the agent's own if it can make one and move a process into it, else process
     * groups; never throws, and {@link #describe} says which and why.
     *
     * @param warn where trouble with a command's cgroup later is reported
     */
    public static CommandScopes detect(Consumer<String> warn) {
        try {
            Path home = ownCgroup(Files.readAllLines(PROC_CGROUP), Files.readAllLines(MOUNTINFO));
            if (!Files.isRegularFile(home.resolve("cgroup.procs"))) {
                throw new IllegalStateException("the agent's cgroup " + home + " is not there");
            }
            boolean kill = new CommandScopes(home, false, "", warn).probe();
            return cgroups(home, kill, warn);
        } catch (IOException e) {
            return processGroups("cannot read " + e.getMessage());
        } catch (IllegalStateException e) {
            return processGroups(e.getMessage());
        }
    }

    /** Cgroups below {@code home}, without the checks {@link #detect} makes. */
    static CommandScopes cgroups(Path home, boolean cgroupKill, Consumer<String> warn) {
        return new CommandScopes(home, cgroupKill, "cgroups under " + home + " (ended by "
                + (cgroupKill ? "cgroup.kill" : "freezing, KILL to each process, thawing") + ")", warn);
    }

    /** E.g. {@code cgroups under /sys/fs/cgroup/system.slice/rcon-agent.service (ended by cgroup.kill)}. */
    public String describe() {
        return description;
    }

    public boolean usesCgroups() {
        return home != null;
    }

    /** The agent's cgroup, under which the commands' are made; null with process groups. */
    public Path home() {
        return home;
    }

    /**
     * A session has authenticated, so a command may follow within tens of ms: with cgroups, keeps
     * the kernel's lock for the command's join warm meanwhile ({@link JoinPrimer}). Never blocks
     * or throws. On a thread of its own, which ends with the priming: a kept one would stay idle
     * for seconds after, a thread that a host at its task limit then gave a command's stdin writer.
     */
    public void expectCommand() {
        expectCommand(TaskStarter.newThreads());
    }

    /** As {@link #expectCommand()}, the priming on a task of {@code threads}: tests count them. */
    void expectCommand(TaskStarter threads) {
        if (primer != null) {
            expected.incrementAndGet();
            primer.expect(threads);
        }
    }

    /** How many times {@link #expectCommand} primed the join: for tests of who may make the agent do it. */
    public long commandsExpected() {
        return expected.get();
    }

    /** Null with process groups. */
    JoinPrimer primer() {
        return primer;
    }

    /** Stops priming joins (waiting up to a second for a write under way); commands' scopes are their own. Idempotent. */
    @Override
    public void close() {
        if (primer != null) {
            primer.close(java.time.Duration.ofSeconds(1));
        }
    }

    /**
     * A scope for one command; {@code wholeSession} for a command on a terminal, whose jobs lead
     * process groups of their own in its session.
     *
     * @throws RequestException {@code spawn_failed} when its cgroup cannot be made: the command
     *     must not run unconfined
     */
    public CommandScope open(boolean wholeSession) throws RequestException {
        if (home == null) {
            return new ProcessGroupScope(wholeSession);
        }
        primer.joining();
        try {
            return new CgroupScope(createChild(), cgroupKill, warn);
        } catch (IOException e) {
            throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot make a cgroup under " + home + ": "
                    + FileErrors.reason(e));
        }
    }

    private Path createChild() throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return Files.createDirectory(home.resolve(NAME_PREFIX + pid + "-" + serial.incrementAndGet()));
            } catch (FileAlreadyExistsException e) {
                // Another agent in this JVM took the name; take the next.
            }
        }
        throw new IOException("no free cgroup name");
    }

    /**
     * The agent's own cgroup directory: the v2 path from {@code /proc/self/cgroup} ({@code 0::/path})
     * below the cgroup2 mount that holds it (at {@code /sys/fs/cgroup}, or {@code /sys/fs/cgroup/unified}
     * on a hybrid host).
     *
     * @throws IllegalStateException saying why there is none to use
     */
    static Path ownCgroup(List<String> procCgroup, List<String> mountinfo) {
        String path = procCgroup.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3))
                .findFirst().orElseThrow(() -> new IllegalStateException("no cgroup v2 hierarchy (cgroup v1 only)"));
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            String[] fields = line.substring(0, Math.max(dash, 0)).split(" ");
            if (dash < 0 || fields.length < 6 || !line.substring(dash + 3).startsWith("cgroup2 ")) {
                continue;
            }
            String root = unescape(fields[3]);
            if (!root.equals("/") && !path.equals(root) && !path.startsWith(root + "/")) {
                continue;
            }
            if (List.of(fields[5].split(",")).contains("ro")) {
                throw new IllegalStateException("cgroup2 at " + unescape(fields[4]) + " is mounted read-only");
            }
            String below = root.equals("/") ? path : path.substring(root.length());
            return Path.of(unescape(fields[4]), below.replaceFirst("^/+", ""));
        }
        throw new IllegalStateException("no cgroup2 file system mounted over the agent's cgroup " + path);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String field) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Makes a cgroup, moves a shell into it the way every command will be, and removes it again.
     *
     * @return whether the kernel has {@code cgroup.kill} (5.14 and later)
     * @throws IllegalStateException saying what failed
     */
    private boolean probe() {
        Path probe;
        try {
            probe = createChild();
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a cgroup under " + home + ": " + FileErrors.reason(e));
        }
        try {
            boolean kill = Files.exists(probe.resolve("cgroup.kill"));
            if (!kill && !Files.exists(probe.resolve("cgroup.freeze"))) {
                throw new IllegalStateException("the kernel has neither cgroup.kill nor cgroup.freeze (Linux 5.2 or later)");
            }
            join(probe);
            return kill;
        } finally {
            try {
                Files.delete(probe);
            } catch (IOException e) {
                warn.accept("cannot remove the probe cgroup " + probe + ": " + FileErrors.reason(e));
            }
        }
    }

    private static void join(Path cgroup) {
        try {
            Process shell = new ProcessBuilder("/bin/sh", "-c", "echo $$ >\"$1/cgroup.procs\"", "rcon-probe", cgroup.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!shell.waitFor(10, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
                throw new IllegalStateException("moving a process into a cgroup under " + cgroup.getParent() + " hangs");
            }
            String err;
            try (InputStream stderr = shell.getErrorStream()) {
                err = new String(stderr.readNBytes(512), StandardCharsets.UTF_8).strip();
            }
            if (shell.exitValue() != 0) {
                throw new IllegalStateException("cannot move a process into a cgroup under " + cgroup.getParent() + ": "
                        + (err.isEmpty() ? "exit status " + shell.exitValue() : err.lines().findFirst().orElse(err)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run /bin/sh to try a cgroup: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying a cgroup");
        }
    }
}
