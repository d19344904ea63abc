package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.console.client.ConnectFailure;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    private static List<Path> warmupDirs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("rcon-warmup-")).toList();
        }
    }

    @Test
    void aStrangerReachingTheStandInFirstIsDeniedAndServedNothing() throws Exception {
        SecureRandom random = new SecureRandom();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Throwable> standIn = CompletableFuture.supplyAsync(() -> {
                try {
                    WarmupSession.standIn(server, Key.generate(random, "warmup"), random);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            Target target = Target.parse("127.0.0.1:" + server.getLocalPort());
            ConnectFailure denied = assertThrows(ConnectFailure.class,
                    () -> RconClient.connect(target, Key.generate(random, "stranger"), Duration.ofSeconds(10)).close());
            assertEquals(ConnectFailure.Reason.DENIED, denied.reason(), denied.getMessage());
            assertInstanceOf(AuthenticationException.class, standIn.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void warmupRunsAOneShotAgainstItsStandInSilentlyAndLeavesNoKeyBehind() throws Exception {
        List<Path> before = warmupDirs();
        WarmupSession.run(new ConsoleIO(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), false, false, Map.of(), home, handler -> () -> { }), new SecureRandom());
        assertEquals(before, warmupDirs());
        ConsoleRun r = ConsoleRun.run(home, "", "warmup");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err());
        assertEquals(before, warmupDirs());
    }
}
