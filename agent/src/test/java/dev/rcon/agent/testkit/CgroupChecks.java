package dev.rcon.agent.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rcon.agent.exec.CommandScopes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
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
