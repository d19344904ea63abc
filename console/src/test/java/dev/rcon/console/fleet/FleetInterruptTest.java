package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.FakeAgent;
import dev.rcon.console.testkit.InterruptibleRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C across hosts: running commands get INT, hosts not yet started (or still connecting) never start. */
@Timeout(90)
class FleetInterruptTest {
    @TempDir
    Path dir;

    /** Starts {@code n} agents that take {@code key} into {@code agents}, which the caller closes; their host list. */
    private String startAgents(List<TestAgent> agents, int n, Key key) throws Exception {
        for (int i = 0; i < n; i++) {
            agents.add(TestAgent.withKey(dir, key));
        }
        return agents.stream().map(a -> "127.0.0.1:" + a.port()).collect(java.util.stream.Collectors.joining(","));
    }

    @Test
    void ctrlCInterruptsRunningHostsAndReportsTheUnstarted() throws Exception {
        Key key = TestKeys.fresh("fleet");
        Path keyFile = TestKeys.keyFile(dir, key);
        List<TestAgent> agents = new ArrayList<>();
        try {
            String hosts = startAgents(agents, 3, key);
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "-H", hosts, "--fanout", "2",
                    "--", "echo started; exec sleep 60");
            assertTrue(run.nextLine().endsWith(": started"));
            assertTrue(run.nextLine().endsWith(": started"));
            run.pressCtrlC();
            assertEquals(130, run.awaitStatus(60));
            assertTrue(run.err().contains("2 interrupted, 1 not started"), run.err());
            assertTrue(run.err().contains("!: [signal INT]"), run.err());
        } finally {
            agents.forEach(TestAgent::close);
        }
    }

    /**
     * A command that takes the INT and exits 0 did its work: it is ok, not interrupted, and stays
     * out of @failed (where -H @failed would run it again), as ssh exits 0 for it.
     */
    @Test
    void aHostWhoseCommandExitsZeroAfterCtrlCIsOkNotInterrupted() throws Exception {
        Key key = TestKeys.fresh("fleet");
        Path keyFile = TestKeys.keyFile(dir, key);
        List<TestAgent> agents = new ArrayList<>();
        try {
            String hosts = startAgents(agents, 2, key);
            // One host's command (the first to make the directory) finishes its work at the INT; the other's dies of it.
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "-H", hosts, "--",
                    "if mkdir " + dir.resolve("first") + " 2>/dev/null; then trap 'echo cleaned; exit 0' INT; fi;"
                            + " echo started; sleep 60 & wait");
            assertTrue(run.nextLine().endsWith(": started"));
            assertTrue(run.nextLine().endsWith(": started"));
            run.pressCtrlC();
            assertEquals(130, run.awaitStatus(60));
            assertTrue(run.err().contains("2 hosts: 1 ok, 0 failed, 0 timed out, 0 unreachable, 0 denied, 1 interrupted"),
                    run.err());
            assertEquals(1, run.err().lines().filter(l -> l.endsWith("!: [signal INT]")).count(), run.err());
        } finally {
            agents.forEach(TestAgent::close);
        }
    }

    /**
     * Ctrl-C also gives up on hosts still connecting or authenticating: the run ends at once, not
     * after their connect timeout, and they count as not started.
     */
    @Test
    void ctrlCEndsTheRunWithoutWaitingForAHostThatAcceptsButNeverAnswers() throws Exception {
        Key key = TestKeys.fresh("fleet");
        Path keyFile = TestKeys.keyFile(dir, key);
        // Accepts connections (the kernel's backlog) and never says a word.
        try (TestAgent agent = TestAgent.withKey(dir, key);
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String hosts = "127.0.0.1:" + silent.getLocalPort() + ",127.0.0.1:" + agent.port();
            InterruptibleRun run = InterruptibleRun.start(dir, "--key", keyFile.toString(), "-H", hosts,
                    "--connect-timeout", "5m", "--", "echo started; exec sleep 60");
            assertTrue(run.nextLine().endsWith(": started"));
            run.pressCtrlC();
            // Far less than the 5 minutes the silent host would otherwise hold the run.
            assertEquals(130, run.awaitStatus(20));
            assertTrue(run.err().contains("1 interrupted, 1 not started"), run.err());
            assertTrue(run.err().contains("127.0.0.1:" + silent.getLocalPort() + "!: [not started]"), run.err());
        }
    }

    /**
     * put -H and get -H stop at the first Ctrl-C, as a fleet command does and as a one-host copy
     * does: their copies are not commands, so the first two Ctrl-Cs reached nothing and a wrong
     * file went on replacing the target on every host until the third (found pressing Ctrl-C
     * during a 300 MB put -H to five agents: the copies ran to the end).
     */
    @Test
    void oneCtrlCStopsACopyOnEveryHost() throws Exception {
        Key key = TestKeys.fresh("fleet");
        Path keyFile = TestKeys.keyFile(dir, key);
        Path local = Files.writeString(dir.resolve("app.conf"), "v2\n");
        List<String[]> copies = List.of(new String[] {"put", local.toString(), "/tmp/app.conf"},
                new String[] {"get", "/etc/hostname", dir.resolve("got").toString()});
        for (String[] copy : copies) {
            CountDownLatch asked = new CountDownLatch(1);
            // A host that takes the copy's request and then neither moves nor ends it.
            try (FakeAgent host = FakeAgent.start(key, peer -> {
                peer.receive();
                asked.countDown();
                peer.closedWithin(50);
            })) {
                InterruptibleRun run = InterruptibleRun.start(dir, copy[0], "--key", keyFile.toString(), "-H",
                        host.address(), copy[1], copy[2]);
                assertTrue(asked.await(20, TimeUnit.SECONDS), copy[0]);
                run.pressCtrlC();
                assertEquals(130, run.awaitStatus(10), copy[0] + ": " + run.err());
                assertTrue(run.err().contains(host.address() + "!: [interrupted: stopped at Ctrl-C]"), run.err());
                assertTrue(run.err().contains(", 1 interrupted in "), run.err());
            }
        }
    }
}
