package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.auth.HostKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.client.ConnectFailure;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rcon warmup}, which bin/rcon runs while it records its class-data archive. */
@Timeout(60)
class WarmupTest {
    @TempDir
    Path home;

    @Test
    void aStrangerReachingTheStandInFirstIsDeniedAndTheWarmupStillGetsItsSession() throws Exception {
        SecureRandom random = new SecureRandom();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Target target = new Target("127.0.0.1", server.getLocalPort());
            Key fleet = Key.generate(random, "warmup");
            Key hostKey = HostKeys.derive(fleet, target.hostLabel());
            CompletableFuture<Void> standIn = CompletableFuture.runAsync(() -> {
                try {
                    WarmupSession.serve(server, hostKey, random, System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ConnectFailure denied = assertThrows(ConnectFailure.class,
                    () -> RconClient.connect(target, Key.generate(random, "stranger"), Duration.ofSeconds(10)).close());
            assertEquals(ConnectFailure.Reason.DENIED, denied.reason(), denied.getMessage());
            try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 RconClient client = RconClient.connect(target, fleet, Duration.ofSeconds(10))) {
                assertEquals("warmup", client.hello().agent());
            }
            standIn.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void warmupRunsAOneShotAgainstItsStandInSilentlyAndLeavesNoKeyBehind() throws Exception {
        Path tmp = Files.createDirectory(home.resolve("tmp"));
        WarmupSession.run(new ConsoleIO(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), false, false, Map.of(), home, handler -> () -> { }), new SecureRandom(), tmp);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
        ConsoleRun r = ConsoleRun.run(home, "", "warmup");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err());
    }
}
