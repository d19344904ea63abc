package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signals are delivered off the session's reader, by kill(1) on the agent's one timer, which
 * also runs every command's timeout and the KILL after its grace. A console that sends signal
 * after signal to a command that ignores them (a limited key will do: 60 bytes a record) queued
 * one kill(1) each on that timer, faster than kill(1) runs: the queue grew without bound in the
 * heap, and another console's timeout waited behind all of it.
 */
@Timeout(120)
class SignalFloodTest {
    private static final int SIGNALS = 100_000;

    @RegisterExtension
    final AgentExtension agent = new AgentExtension(c -> c.withKillGrace(Duration.ofMillis(300)));

    @Test
    void aFloodOfSignalsToOneCommandDelaysNoOtherSessionsTimeout() throws Exception {
        try (TestClient flooder = agent.get().connect(); TestClient other = agent.get().connect()) {
            // The flood starts once the shell says HUP is ignored: one that came before the trap
            // ended the command, and the rest went to no command, past the timer under test.
            flooder.send(Exec.shell(1, "trap '' HUP; echo ready; exec sleep 1000"));
            assertTrue(flooder.receive() instanceof Started);
            assertTrue(flooder.receive() instanceof dev.rcon.common.msg.Stdout);
            Signal hup = new Signal(1, SignalName.HUP);
            for (int i = 0; i < SIGNALS; i++) {
                flooder.send(hup);
            }
            long start = System.nanoTime();
            TestClient.Run run = runBounded(other, new Exec(1, "sleep 1000", null, null, null, 500L, null));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertNotNull(run.exit());
            assertTrue(run.exit().timedOut(), run.exit().toString());
            assertTrue(ms < 5000, "a 500 ms timeout took " + ms + " ms to end its command");
        }
    }

    private static TestClient.Run runBounded(TestClient client, Exec exec) throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<TestClient.Run> run = runner.submit(() -> client.run(exec));
            return run.get(30, TimeUnit.SECONDS);
        } finally {
            runner.shutdownNow();
        }
    }
}
