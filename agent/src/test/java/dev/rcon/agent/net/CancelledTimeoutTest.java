package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command's timeout is a task on the agent's timer, cancelled when the command ends first. The
 * timer kept every cancelled task queued until its time came: a console (a limited key will do)
 * running short commands with a timeout of a year left one task each in the heap for a year, and
 * so did every command under a long {@code default_timeout_ms}, so the heap grew with the number
 * of commands run, never freed.
 */
@Timeout(120)
class CancelledTimeoutTest {
    private static final int COMMANDS = 200;

    @TempDir
    Path dir;

    @Test
    void aCommandThatEndsBeforeItsTimeoutLeavesNothingOfItselfOnTheTimer() throws Exception {
        Key key = TestKeys.fresh("timeouts");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"));
             TestClient client = TestClient.connect(agent.port(), key)) {
            long year = TimeUnit.DAYS.toMillis(365);
            for (int id = 1; id <= COMMANDS; id++) {
                assertEquals(0, client.run(new Exec(id, "true", null, null, null, year, null)).exit().code());
            }
            long kept = liveInstances(agent.process().pid(),
                    "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask");
            assertTrue(kept < COMMANDS / 10, "the timer still holds " + kept + " tasks after " + COMMANDS + " commands ended");
        }
    }

    /** Instances of {@code className} that survive a full collection (jcmd's class histogram runs one). */
    private static long liveInstances(long pid, String className) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out.lines().map(String::strip).map(l -> l.split("\\s+")).filter(f -> f.length >= 4)
                .filter(f -> f[3].equals(className)).mapToLong(f -> Long.parseLong(f[1])).sum();
    }
}
