package dev.rcon.agent.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.msg.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A limited key racing the reload that removes it (or one that fails, which leaves no key in
 * force): the handshake found the key with its options, and the session must keep those options,
 * never run with none.
 */
@Timeout(60)
class KeyReloadRaceTest {
    private static final Duration RACE = Duration.ofSeconds(8);
    private static final int CONSOLES = 6;

    @TempDir
    Path dir;

    /**
     * Attack: a key with a forced command logs in again and again while the operator removes its
     * line and reloads. The handshake looked the key up in the keys in force then, and the session
     * took its options from the keys in force a moment later: in between, the reload had removed
     * the key, and a key with no line got no options at all, so the session ran whatever it asked,
     * as root.
     */
    @Test
    void aLimitedKeyLoggingInWhileItsLineIsRemovedNeverGetsASessionWithoutItsLimits() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withPenalty(100_000, Duration.ofMillis(100)))
                .withOptions("command=\"echo limited\"")) {
            String limited = Files.readString(agent.authorizedKeys());
            String removed = "# the limited key was removed\n";
            AtomicBoolean racing = new AtomicBoolean(true);
            AtomicInteger sessions = new AtomicInteger();
            ConcurrentLinkedQueue<String> escaped = new ConcurrentLinkedQueue<>();
            List<Thread> consoles = new ArrayList<>();
            for (int i = 0; i < CONSOLES; i++) {
                consoles.add(Threads.start("racing-console-" + i, () -> logInUntil(agent, racing, sessions, escaped)));
            }
            long end = System.nanoTime() + RACE.toNanos();
            for (int round = 0; System.nanoTime() < end && escaped.isEmpty(); round++) {
                replace(agent.authorizedKeys(), round % 2 == 0 ? removed : limited);
                agent.agent().reloadKeys();
            }
            racing.set(false);
            for (Thread console : consoles) {
                console.join();
            }
            assertTrue(sessions.get() > 0, "no console ever logged in: the race never ran");
            assertEquals(List.of(), List.copyOf(escaped), "sessions that ran what they asked instead of the forced command");
        }
    }

    /** Logs in until told to stop; a session whose command is not the forced one is recorded. */
    private static void logInUntil(TestAgent agent, AtomicBoolean racing, AtomicInteger sessions,
            ConcurrentLinkedQueue<String> escaped) {
        while (racing.get()) {
            try (TestClient client = agent.connect()) {
                sessions.incrementAndGet();
                String out = new String(client.run(Exec.shell(1, "echo escaped")).stdout(), UTF_8);
                if (!out.equals("limited\n")) {
                    escaped.add(out.strip());
                }
            } catch (IOException e) {
                // Denied while the line was gone, or closed by the agent: try again.
            }
        }
    }

    /** Replaces the keys file whole, as an editor or `rcon rotate` would, so a reload never reads half of it. */
    private static void replace(Path keys, String text) throws IOException {
        Path next = keys.resolveSibling("authorized_keys.next");
        Files.writeString(next, text);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, keys, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
