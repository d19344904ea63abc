package dev.rcon.agent.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Defaults sized for the host the agent runs on. */
final class HostLimits {
    private HostLimits() {
    }

    /**
     * Each command costs the agent up to three threads and itself at least one process, and both
     * count against the kernel's pid and thread limits; a thirty-second of the smaller one leaves
     * the host room to breathe.
     */
    static int defaultMaxCommands() {
        long limit = Math.min(readLong("/proc/sys/kernel/pid_max"), readLong("/proc/sys/kernel/threads-max"));
        return (int) Math.max(32, Math.min(4096, limit / 32));
    }

    /**
     * Half the heap's maximum, in MiB: queued input is the one thing a console can make the agent
     * hold in quantity, and the other half keeps sessions, commands and transfers going.
     */
    static int defaultInputBufferMb() {
        return (int) Math.max(4, Math.min(1 << 20, Runtime.getRuntime().maxMemory() / 2 >> 20));
    }

    /** Reads a /proc number by lines: Files.readString trusts the size 0 /proc reports and gets one byte. */
    private static long readLong(String file) {
        try (BufferedReader in = Files.newBufferedReader(Path.of(file))) {
            return Long.parseLong(in.readLine().strip());
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
