package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.concurrent.TaskThreads;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Why a connection failed travels as a reason and an error code, not only as text. */
@Timeout(30)
class RconClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aBusyAgentsRefusalCarriesTheBusyCode() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withLimits(1, 4, 8));
             RconClient first = RconClient.connect(Target.parse("127.0.0.1:" + agent.port()), agent.fleetKey(), TIMEOUT)) {
            ConnectFailure e = assertThrows(ConnectFailure.class,
                    () -> RconClient.connect(Target.parse("127.0.0.1:" + agent.port()), agent.fleetKey(), TIMEOUT));
            assertEquals(ConnectFailure.Reason.BUSY, e.reason());
            assertEquals(ErrorCode.BUSY, e.code());
            assertEquals("agent refused the session: agent has max_sessions=1 sessions open", e.detail());
            assertEquals("127.0.0.1:" + agent.port() + ": " + e.detail(), e.getMessage());
        }
    }

    @Test
    void aDeniedKeyCarriesTheDeniedCode() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            dev.rcon.common.auth.Key stranger = TestKeys.fresh("stranger");
            ConnectFailure e = assertThrows(ConnectFailure.class, () -> RconClient.connect(
                    Target.parse("127.0.0.1:" + agent.port()), stranger, TIMEOUT));
            assertEquals(ConnectFailure.Reason.DENIED, e.reason());
            assertEquals(ErrorCode.DENIED, e.code());
            assertEquals("denied: the agent does not accept key 'stranger' (label 127.0.0.1, kid "
                    + TestKeys.forHost(stranger, "127.0.0.1").kidHex()
                    + "); enroll the host with the line of: rcon authorize 127.0.0.1", e.detail());
        }
    }

    @Test
    void anUnknownHostIsUnreachableAndNamedOnce() {
        ConnectFailure e = assertThrows(ConnectFailure.class,
                () -> RconClient.connect(Target.parse("no-such-host.invalid"), TestKeys.fresh("k"), TIMEOUT));
        assertEquals(ConnectFailure.Reason.UNREACHABLE, e.reason());
        assertEquals(ErrorCode.IO, e.code());
        assertEquals("no-such-host.invalid: unknown host", e.getMessage());
        assertEquals("unknown host", e.detail());
    }

    /** The thread now called {@code name}, once there is one (bounded by the test's timeout). */
    private static Thread named(String name) {
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name)) {
                    return t;
                }
            }
            // Each look stops every thread to read its stack: look again a millisecond later, not at once.
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** The kept threads idle now, once the first session's reader and close both are (bounded by the test's timeout). */
    private static java.util.Set<Thread> idleKept(int expected) {
        while (true) {
            java.util.Set<Thread> idle = new java.util.HashSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("kept-idle-") && t.getState() == Thread.State.TIMED_WAITING) {
                    idle.add(t);
                }
            }
            if (idle.size() == expected) {
                return idle;
            }
            // Each look stops every thread to read its stack: look again a millisecond later, not at once.
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void aSessionOnKeptThreadsReadsOnAThreadTheSessionBeforeItUsed() throws Exception {
        try (TestAgent agent = TestAgent.start(dir);
             TaskThreads threads = new TaskThreads("kept-idle", Duration.ofSeconds(30))) {
            Target target = Target.parse("127.0.0.1:" + agent.port());
            try (RconClient client = RconClient.connect(target, agent.fleetKey(), TIMEOUT, socket -> { }, threads)) {
                named("rcon-reader-" + target);
            }
            // Its reader and its polite close.
            java.util.Set<Thread> kept = idleKept(2);
            try (RconClient client = RconClient.connect(target, agent.fleetKey(), TIMEOUT, socket -> { }, threads)) {
                Thread reader = named("rcon-reader-" + target);
                assertEquals(true, kept.contains(reader), reader + " is not one of " + kept);
            }
        }
    }
}
