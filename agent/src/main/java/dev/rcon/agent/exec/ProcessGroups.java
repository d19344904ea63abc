package dev.rcon.agent.exec;

import dev.rcon.common.msg.SignalNumbers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Signals to whole process groups (or every group of a terminal's session), and the names of
 * signals that ended a process.
 */
public final class ProcessGroups {
    /**
     * Signals 32 and 33, which glibc keeps for its threads: no program can reset them, env(1)
     * included, and a JVM started by another one (Maven's surefire, say) may have 32 ignored.
     */
    private static final long RESERVED = (1L << 31) | (1L << 32);

    private ProcessGroups() {
    }

    /**
     * Whether this process has signals set to ignored ({@code SigIgn} of /proc/self/status), which
     * every process it starts inherits through exec; true when that cannot be read.
     */
    static boolean inheritedIgnoredSignals() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & ~RESERVED) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // Unknown: reset them, as before.
        }
        return true;
    }

    /** The name of signal {@code number} ("KILL"), or null for one we do not name. */
    public static String signalName(int number) {
        return SignalNumbers.name(number);
    }

    /**
     * Sends signal {@code number} to every process in group {@code pgid}. Uses kill(1): the JDK
     * can signal single processes with TERM and KILL only, and a group needs a negative pid.
     */
    public static void signal(long pgid, int number) {
        signalGroups(Set.of(pgid), number);
    }

    /**
     * Sends signal {@code number} to every process group of session {@code sid} (a terminal's
     * jobs each have a group of their own). Groups are found in /proc, as {@link #hasMembers}
     * finds them, so an empty group's number is never signalled.
     */
    public static void signalSession(long sid, int number) {
        Set<Long> groups = sessionGroups(sid);
        if (!groups.isEmpty()) {
            signalGroups(groups, number);
        }
    }

    private static void signalGroups(Set<Long> pgids, int number) {
        List<String> targets = new ArrayList<>();
        for (long pgid : pgids) {
            if (pgid <= 1) {
                throw new IllegalArgumentException("refusing to signal process group " + pgid);
            }
            targets.add("-" + pgid);
        }
        kill(number, targets);
    }

    /**
     * Sends signal {@code number} with one kill(1) to every target: a PID, or a process group as
     * a negative number.
     */
    static void kill(int number, List<String> targets) {
        List<String> command = new ArrayList<>(List.of("kill", "-s", String.valueOf(number), "--"));
        command.addAll(targets);
        try {
            Process kill = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.getOutputStream().close();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill(1): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * True when some process is still in group {@code pgid}. Read from /proc so that a group
     * whose leader already exited is still seen, and an empty group (whose number the kernel may
     * give to a stranger) is never signalled. Every member was forked after the leader, so unless
     * PIDs wrapped since then only PIDs from {@code pgid} up need reading; this keeps the check
     * cheap on a host running thousands of processes.
     */
    public static boolean hasMembers(long pgid) {
        return !scan(pgid, PGRP, true).isEmpty();
    }

    /** True when some live process is still in session {@code sid}. */
    public static boolean sessionHasMembers(long sid) {
        return !scan(sid, SESSION, true).isEmpty();
    }

    /** The process groups of the live processes of session {@code sid}. */
    static Set<Long> sessionGroups(long sid) {
        return scan(sid, SESSION, false);
    }

    /**
     * The groups of live processes whose field {@code field} (group or session) is {@code id};
     * stops at the first when {@code any}. Unreadable /proc counts as a member, so that nothing
     * is taken for ended that may not be.
     */
    private static Set<Long> scan(long id, int field, boolean any) {
        long last = lastPid();
        boolean wrapped = last < id;
        Set<Long> groups = new HashSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                long[] ids = (wrapped || pid >= id) ? idsOf(proc) : null;
                if (ids != null && ids[field] == id) {
                    groups.add(ids[PGRP]);
                    if (any) {
                        break;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            groups.add(id);
        }
        return groups;
    }

    /** The PID the kernel handed out last (/proc/loadavg, field 5), or 0 if unknown. */
    private static long lastPid() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return Long.parseLong(fields[4]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * When process {@code pid} started ({@code starttime} of /proc/PID/stat, in clock ticks since
     * boot), or -1 when there is no such process. A PID and this together name one process for
     * good: a number reused is a different start time.
     */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After "(comm)": state is field 3, starttime field 22.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 21);
            return Long.parseLong(rest[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static final int PGRP = 0;
    private static final int SESSION = 1;

    /** The process group of a live process, or -1 (also for zombies, which hold nothing open). */
    static long groupOf(Path proc) {
        long[] ids = idsOf(proc);
        return ids == null ? -1 : ids[PGRP];
    }

    /** The process group and session of a live process, or null (also for zombies, which hold nothing open). */
    private static long[] idsOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Field 2 is "(comm)" and may hold spaces or parentheses: count from the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
            if (rest[0].equals("Z") || rest[0].equals("X")) {
                return null;
            }
            return new long[] {Long.parseLong(rest[2]), Long.parseLong(rest[3])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
