package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Started;
import dev.rcon.console.testkit.FakeAgent;
import dev.rcon.console.testkit.InterruptibleRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One compromised host of a fleet run (it holds its own key and speaks the protocol) against the
 * run: it cannot hold the run, or the operator's Ctrl-C, beyond what the operator asked for.
 */
@Timeout(90)
class HostileFleetHostTest {
    @TempDir
    Path dir;
    final Key fleet = TestKeys.fresh("fleet");

    private final CountDownLatch hostileStarted = new CountDownLatch(1);

    private final FakeAgent.Script neverEnds = FakeAgent.startsAndNeverEnds(hostileStarted, 80);

    @Test
    void aHostThatNeverEndsItsCommandIsGivenUpOnceItsTimeoutHasPassedAndTheRunEnds() throws Exception {
        Path keyFile = TestKeys.keyFile(dir, fleet);
        try (TestAgent agent = TestAgent.withKey(dir, fleet); FakeAgent hostile = FakeAgent.start(fleet, neverEnds)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "-H",
                    hostile.address() + ",127.0.0.1:" + agent.port(), "--timeout", "1s", "--", "echo done");
            assertTrue(run.nextLine().endsWith(": done"));
            // The agent's own timeout plus its kill grace, plus the console's margin, and no more.
            assertEquals(1, run.awaitStatus(30), run.err());
            assertTrue(run.err().contains(hostile.address() + "!: [timed out: "), run.err());
            assertTrue(run.err().contains("1 ok, 0 failed, 1 timed out"), run.err());
        }
    }

    /**
     * A host that takes a copy's request and then reads nothing more (an agent stopped mid-copy
     * with SIGSTOP keeps its connection open): without --timeout it held put -H until Ctrl-C.
     */
    @Test
    void aHostThatWedgesMidCopyIsGivenUpAtTheCopysTimeoutAndTheRunEnds() throws Exception {
        Path keyFile = TestKeys.keyFile(dir, fleet);
        Path local = java.nio.file.Files.writeString(dir.resolve("conf"), "x=1\n");
        FakeAgent.Script wedged = peer -> {
            peer.receive();
            hostileStarted.countDown();
            peer.closedWithin(80);
        };
        try (TestAgent agent = TestAgent.withKey(dir, fleet); FakeAgent hostile = FakeAgent.start(fleet, wedged)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "put", "-H",
                    hostile.address() + ",127.0.0.1:" + agent.port(), "--timeout", "1s", local.toString(),
                    dir.resolve("copied").toString());
            assertEquals(1, run.awaitStatus(30), run.err());
            assertTrue(hostileStarted.await(1, TimeUnit.SECONDS));
            assertTrue(run.err().contains(hostile.address()
                    + "!: [timed out: copy not done after the 1s timeout; the console gave up on the host]"), run.err());
            assertTrue(run.err().contains("1 ok, 0 failed, 1 timed out"), run.err());
        }
    }

    @Test
    void aThirdCtrlCGivesUpOnAHostThatIgnoresIntAndKill() throws Exception {
        Path keyFile = TestKeys.keyFile(dir, fleet);
        try (TestAgent agent = TestAgent.withKey(dir, fleet); FakeAgent hostile = FakeAgent.start(fleet, neverEnds)) {
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "-H",
                    hostile.address() + ",127.0.0.1:" + agent.port(), "--", "echo started; exec sleep 60");
            assertTrue(run.nextLine().endsWith(": started"));
            assertTrue(hostileStarted.await(10, TimeUnit.SECONDS));
            run.pressCtrlC();
            run.pressCtrlC();
            run.pressCtrlC();
            assertEquals(130, run.awaitStatus(20), run.err());
            assertTrue(run.err().contains(hostile.address() + "!: [interrupted: "), run.err());
        }
    }

    /**
     * A host that stops reading and sends pings until the console's answers fill the connection
     * both ways: the console's pong (and any signal for that host) blocks in its write. The first
     * Ctrl-C must still reach every other host.
     */
    @Test
    void aHostThatStopsReadingCannotKeepCtrlCFromTheOtherHosts() throws Exception {
        Path keyFile = TestKeys.keyFile(dir, fleet);
        List<TestAgent> agents = new ArrayList<>();
        try (FakeAgent hostile = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.send(new Started(1, 42));
            hostileStarted.countDown();
            try {
                for (int id = 1; ; id = id % 1_000_000 + 1) {
                    peer.send(new Ping(id));
                }
            } catch (IOException closed) {
                // The console gave up on this host at last.
            }
        })) {
            StringBuilder hosts = new StringBuilder(hostile.address());
            for (int i = 0; i < 3; i++) {
                agents.add(TestAgent.withKey(dir, fleet));
                hosts.append(",127.0.0.1:").append(agents.get(i).port());
            }
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "-H", hosts.toString(),
                    "--", "echo started; exec sleep 60");
            for (int i = 0; i < 3; i++) {
                assertTrue(run.nextLine().endsWith(": started"));
            }
            assertTrue(hostileStarted.await(10, TimeUnit.SECONDS));
            // Long enough for the pongs to fill the connection both ways (about 10 MB on loopback).
            Thread.sleep(5000);
            run.pressCtrlC();
            assertTrue(eventually(() -> run.err().split("!: \\[signal INT\\]", -1).length == 4, 15), run.err());
            run.pressCtrlC();
            run.pressCtrlC();
            assertEquals(130, run.awaitStatus(20), run.err());
        } finally {
            agents.forEach(TestAgent::close);
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
