package dev.rcon.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MaxCommandsTest {
    private static long read(String file) throws Exception {
        try (BufferedReader in = Files.newBufferedReader(Path.of(file))) {
            return Long.parseLong(in.readLine().strip());
        }
    }

    @Test
    void theDefaultCapIsSizedFromTheKernelsRealPidAndThreadLimits() throws Exception {
        long limit = Math.min(read("/proc/sys/kernel/pid_max"), read("/proc/sys/kernel/threads-max"));
        assertEquals(Math.max(32, Math.min(4096, limit / 32)), HostLimits.defaultMaxCommands());
    }
}
