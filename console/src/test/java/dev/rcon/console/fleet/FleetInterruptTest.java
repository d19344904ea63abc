package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.Main;
import dev.rcon.console.io.ConsoleIO;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C across hosts: running commands get INT, hosts not yet started never start. */
@Timeout(90)
class FleetInterruptTest {
    @TempDir
    Path dir;

    @Test
    void ctrlCInterruptsRunningHostsAndReportsTheUnstarted() throws Exception {
        Key key = TestKeys.fresh("fleet");
        Path keyFile = TestKeys.keyFile(dir, key);
        List<TestAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                agents.add(TestAgent.withKey(dir, key));
            }
            String hosts = agents.stream().map(a -> "127.0.0.1:" + a.port()).reduce((a, b) -> a + "," + b).orElseThrow();
            AtomicReference<Runnable> ctrlC = new AtomicReference<>();
            ConsoleIO.Interrupts interrupts = handler -> {
                ctrlC.set(handler);
                return () -> ctrlC.set(null);
            };
            PipedInputStream outRead = new PipedInputStream(1 << 16);
            PipedOutputStream out = new PipedOutputStream(outRead);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ConsoleIO io = new ConsoleIO(new ByteArrayInputStream(new byte[0]), out, err, false, false, Map.of(), dir,
                    interrupts);
            // On a thread of its own, never the common pool: the in-process agents learn of their
            // commands' exits through Process.onExit(), whose stages run there, and on JDK 25 a
            // console blocking the pool's only worker (2 cores) held every exit back.
            CompletableFuture<Integer> run = new CompletableFuture<>();
            Thread console = new Thread(() -> run.complete(Main.run(io, "--key", keyFile.toString(),
                    "-H", hosts, "--fanout", "2", "--", "echo started; exec sleep 60")), "console-under-test");
            console.setDaemon(true);
            console.start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(outRead, UTF_8));
            assertTrue(lines.readLine().endsWith(": started"));
            assertTrue(lines.readLine().endsWith(": started"));
            ctrlC.get().run();
            int status = run.get(60, TimeUnit.SECONDS);
            assertEquals(130, status);
            String summary = err.toString(UTF_8);
            assertTrue(summary.contains("2 interrupted, 1 not started"), summary);
            assertTrue(summary.contains("!: [signal INT]"), summary);
        } finally {
            agents.forEach(TestAgent::close);
        }
    }
}
