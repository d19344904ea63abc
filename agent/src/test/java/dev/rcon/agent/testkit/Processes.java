package dev.rcon.agent.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Checks on processes the tests did not start themselves (remote commands, grandchildren). */
public final class Processes {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Processes() {
    }

    /**
     * Asserts that process {@code pid} dies within 10 s: its {@code /proc} entry is gone, it is a
     * zombie (dead; an orphan's reaper may be a PID 1 that never reaps), or the pid now names a
     * process started later. Linux offers Java no event for the death of a process it is not the
     * parent of, so this reads {@code /proc/PID/stat} with a short, growing pause; the JDK's
     * {@code onExit()} polls as well, but from 300 ms up, and waits for zombies to be reaped.
     */
    public static void assertGone(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        String[] first = fields(stat);
        if (first == null) {
            return;
        }
        long deadline = System.nanoTime() + LIMIT_NANOS;
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        for (String[] now = first; now != null && isLiving(now) && startTime(now).equals(startTime(first));
             now = fields(stat)) {
            if (System.nanoTime() - deadline > 0) {
                fail("process " + pid + " survived: state " + now[0] + " after 10 s");
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
        }
    }

    /** The fields of {@code /proc/PID/stat} after the command name (state first), or null when gone. */
    private static String[] fields(Path stat) throws IOException {
        String text;
        try {
            text = Files.readString(stat);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Opened just before the process was reaped: the read fails, and the directory is gone.
            if (Files.notExists(stat.getParent())) {
                return null;
            }
            throw e;
        }
        // The command name is in parentheses and may itself hold spaces and parentheses.
        return text.substring(text.lastIndexOf(')') + 2).strip().split(" ");
    }

    /** Z: zombie, X: dead; both have ended. */
    private static boolean isLiving(String[] fields) {
        return !fields[0].equals("Z") && !fields[0].equals("X");
    }

    /** Field 22 of stat, in clock ticks since boot: tells a process from a later one with its pid. */
    private static String startTime(String[] fields) {
        return fields[22 - 3];
    }
}
