package dev.rcon.agent.exec;

import dev.rcon.common.msg.SignalNumbers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Signals to whole process groups, and the names of signals that ended a process. */
public final class ProcessGroups {
    private ProcessGroups() {
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
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        kill(number, List.of("-" + pgid));
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
        long last = lastPid();
        boolean wrapped = last < pgid;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if ((wrapped || pid >= pgid) && groupOf(proc) == pgid) {
                    return true;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return true;
        }
        return false;
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

    /** The process group of a live process, or -1 (also for zombies, which hold nothing open). */
    static long groupOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Field 2 is "(comm)" and may hold spaces or parentheses: count from the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
            if (rest[0].equals("Z") || rest[0].equals("X")) {
                return -1;
            }
            return Long.parseLong(rest[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
