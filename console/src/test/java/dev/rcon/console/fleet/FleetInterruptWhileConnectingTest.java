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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during a fleet run also gives up on hosts still connecting or authenticating: the run
 * ends at once, not after their connect timeout, and they count as not started.
 */
@Timeout(60)
class FleetInterruptWhileConnectingTest {
    @TempDir
    Path dir;

    @Test
    void ctrlCEndsTheRunWithoutWaitingForAHostThatAcceptsButNeverAnswers() throws Exception {
        Key key = TestKeys.fresh("fleet");
        Path keyFile = TestKeys.keyFile(dir, key);
        // Accepts connections (the kernel's backlog) and never says a word.
        try (TestAgent agent = TestAgent.withKey(dir, key);
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String hosts = "127.0.0.1:" + silent.getLocalPort() + ",127.0.0.1:" + agent.port();
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
            CompletableFuture<Integer> run = new CompletableFuture<>();
            Thread console = new Thread(() -> run.complete(Main.run(io, "--key", keyFile.toString(), "-H", hosts,
                    "--connect-timeout", "5m", "--", "echo started; exec sleep 60")), "console-under-test");
            console.setDaemon(true);
            console.start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(outRead, UTF_8));
            assertTrue(lines.readLine().endsWith(": started"));
            ctrlC.get().run();
            // Far less than the 5 minutes the silent host would otherwise hold the run.
            int status = run.get(20, TimeUnit.SECONDS);
            assertEquals(130, status);
            String summary = err.toString(UTF_8);
            assertTrue(summary.contains("1 interrupted, 1 not started"), summary);
            assertTrue(summary.contains("127.0.0.1:" + silent.getLocalPort() + "!: [not started]"), summary);
        }
    }
}
