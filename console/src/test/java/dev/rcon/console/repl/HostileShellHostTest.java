package dev.rcon.console.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import dev.rcon.console.testkit.FakeAgent;
import dev.rcon.console.testkit.InterruptibleRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line shell ({@code rcon --host H < script}, or typed) against a host that starts a command
 * and never reports its end: it must give up as a one-shot does, not wait for ever.
 */
@Timeout(60)
class HostileShellHostTest {
    @TempDir
    Path dir;
    final Key fleet = TestKeys.fresh("fleet");
    private final CountDownLatch started = new CountDownLatch(1);

    /** Answers the shell's start-up cd, then starts the first command and never ends it. */
    private final FakeAgent.Script neverEnds = peer -> {
        assertInstanceOf(Exec.class, peer.receive());
        peer.send(new Started(1, 41));
        peer.send(new Stdout(1, "/root\n".getBytes(StandardCharsets.UTF_8)));
        peer.send(new Exit(1, 0, null, false, 1, 6, 0));
        Exec exec = assertInstanceOf(Exec.class, peer.receive());
        peer.send(new Started(exec.id(), 42));
        started.countDown();
        peer.closedWithin(50);
    };

    @Test
    void aHostThatNeverReportsTheEndIsGivenUpOnOnceTheTimeoutAndTheMarginHavePassed() throws Exception {
        try (FakeAgent hostile = FakeAgent.start(fleet, neverEnds)) {
            InterruptibleRun run = InterruptibleRun.withStdin(dir, "sleep 60\n", "--key", TestKeys.keyFile(dir, fleet).toString(),
                    "-T", "--host", hostile.address(), "--timeout", "1s");
            assertEquals(255, run.awaitStatus(30), run.err());
            assertEquals("rcon: " + hostile.address() + ": no exit 10s after the 1s timeout; gave up on the host\n",
                    run.err());
        }
    }

    @Test
    void aThirdCtrlCGivesUpOnAHostThatIgnoresIntAndKill() throws Exception {
        try (FakeAgent hostile = FakeAgent.start(fleet, neverEnds)) {
            InterruptibleRun run = InterruptibleRun.withStdin(dir, "sleep 60\n", "--key", TestKeys.keyFile(dir, fleet).toString(),
                    "-T", "--host", hostile.address());
            assertTrue(started.await(10, TimeUnit.SECONDS));
            run.pressCtrlC();
            run.pressCtrlC();
            run.pressCtrlC();
            assertEquals(130, run.awaitStatus(10), run.err());
            assertEquals("rcon: " + hostile.address() + ": gave up waiting for the command's end at Ctrl-C 3\n", run.err());
        }
    }

    /** The prompt is the console's own line: the directory the host names (and its user and host) print as text. */
    @Test
    void theDirectoryAHostNamesIsEscapedInThePrompt() throws Exception {
        try (FakeAgent hostile = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.send(new Started(1, 41));
            peer.send(new Stdout(1, "/tmp\u001b]0;pwned\u0007\u202e\n".getBytes(StandardCharsets.UTF_8)));
            peer.send(new Exit(1, 0, null, false, 1, 6, 0));
            peer.closedWithin(10);
        });
             dev.rcon.console.client.RconClient client = dev.rcon.console.client.RconClient.connect(
                     dev.rcon.console.client.Target.parse(hostile.address()), fleet, java.time.Duration.ofSeconds(10))) {
            dev.rcon.console.io.ConsoleIO io = new dev.rcon.console.io.ConsoleIO(java.io.InputStream.nullInputStream(),
                    java.io.OutputStream.nullOutputStream(), java.io.OutputStream.nullOutputStream(), false, false,
                    java.util.Map.of(), dir, handler -> () -> { });
            Shell shell = new Shell(client, io, new java.io.PrintWriter(java.io.Writer.nullWriter()), null, null);
            assertEquals(0, shell.run());
            assertEquals("root@fake:/tmp\\u001B]0;pwned\\u0007\\u202E$ ", shell.prompt());
        }
    }
}
