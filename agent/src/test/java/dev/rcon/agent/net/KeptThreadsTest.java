package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps the threads a connection and a command ran on for the next ones: starting and
 * ending a thread cost this VM about 0.2 ms of CPU each, three or four times per command.
 */
@Timeout(60)
class KeptThreadsTest {
    @TempDir
    Path dir;

    /** Until the agent's threads for the last command have returned (bounded by the test's timeout). */
    private static void awaitNoCommandThreads() {
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("exec-"))) {
            // Each look stops every thread to read its stack: look again a millisecond later, not at once.
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void commandsOneAfterAnotherRunOnTheThreadsOfTheOnesBefore() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int commands = 20;
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            assertEquals(0, client.run(Exec.shell(1, "true")).exit().code());
            awaitNoCommandThreads();
            long before = threads.getTotalStartedThreadCount();
            for (int id = 2; id < 2 + commands; id++) {
                assertEquals(0, client.run(Exec.shell(id, "echo out; echo err >&2")).exit().code());
                awaitNoCommandThreads();
            }
            long started = threads.getTotalStartedThreadCount() - before;
            // Each command's start and stdout, and its stderr, ran on kept threads. What is left is
            // the JDK's: on one or two cores it hands each process exit to a thread of its own.
            assertTrue(started <= commands + 2, started + " threads started for " + commands + " commands");
        }
    }
}
