package dev.rcon.agent.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rcon.agent.exec.CommandScopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** For tests of commands in cgroups: whether this host allows them, and checks on the directories. */
public final class CgroupChecks {
    private CgroupChecks() {
    }

    /**
     * What an agent started by this JVM would use, found the way the agent finds it (its own
     * cgroup from /proc/self/cgroup, a child made and joined). When it would use process groups,
     * prints why and skips the calling test.
     */
    public static CommandScopes assumeUsable() {
        CommandScopes scopes = CommandScopes.detect(message -> { });
        if (!scopes.usesCgroups()) {
            System.out.println("skipping cgroup tests: commands would run in " + scopes.describe());
        }
        Assumptions.assumeTrue(scopes.usesCgroups(), () -> "commands would run in " + scopes.describe());
        return scopes;
    }

    /** The v2 path in {@code /proc/PID/cgroup} text ({@code 0::/a/b} gives {@code /a/b}). */
    public static String v2Path(String procCgroup) {
        return procCgroup.lines().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst()
                .orElseThrow(() -> new AssertionError("no cgroup v2 line in " + procCgroup));
    }

    /**
     * Ends whatever is left in the cgroups an agent with pid {@code agentPid} made under
     * {@code home} (named {@code cmd-<pid>-<n>}) and removes them, deepest first: what a killed
     * agent leaves behind.
     */
    public static void removeLeftBy(Path home, long agentPid) throws IOException, InterruptedException {
        List<Path> left;
        try (Stream<Path> dirs = Files.list(home)) {
            left = dirs.filter(d -> d.getFileName().toString().startsWith(CommandScopes.NAME_PREFIX + agentPid + "-"))
                    .collect(Collectors.toList());
        }
        for (Path cgroup : left) {
            List<Path> tree;
            try (Stream<Path> walk = Files.walk(cgroup)) {
                tree = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            }
            for (Path dir : tree) {
                for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            for (Path dir : tree) {
                for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid.strip()));
                    if (process.isPresent()) {
                        awaitExit(process.get());
                    }
                }
                Files.delete(dir);
            }
        }
    }

    private static void awaitExit(ProcessHandle process) throws InterruptedException {
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("process " + process.pid() + " outlived its killed agent's cgroup", e);
        }
    }

    /** Waits up to 20 s for cgroup directory {@code dir} to be removed, then asserts it was. */
    public static void assertRemoved(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            while (Files.exists(dir)) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watch.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    break;
                }
                key.pollEvents();
                key.reset();
            }
        }
        assertFalse(Files.exists(dir), "cgroup " + dir + " was left behind");
    }
}
