package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: a key's command fills the unit's task limit (a fork bomb as a user= key), or a console
 * opens requests until the host gives no more threads. The JVM then throws OutOfMemoryError from
 * Thread.start, which ExitOnOutOfMemoryError does not cover: it escaped the session's reader, the
 * session died without a word, and its slots (max_channels, max_commands, input) were never
 * given back. Now the request is answered busy and the session goes on. Runs the agent in a
 * cgroup v1 pids hierarchy of its own (root only).
 */
@Timeout(120)
class ThreadLimitTest {
    private static final Path PIDS = Path.of("/sys/fs/cgroup/pids");
    /** CloseOnExec.FROM: the lowest descriptor the agent marks close-on-exec. */
    private static final int CLOSE_ON_EXEC_FROM = 64;
    private static final String NO_THREAD = "no thread for this request: the host is at its process or thread limit";

    @TempDir
    Path dir;

    @BeforeEach
    void needsRootAndAPidsHierarchy() throws IOException {
        TestKeys.assumeRoot();
        Assumptions.assumeTrue(Files.isRegularFile(PIDS.resolve("cgroup.procs")), "no cgroup v1 pids hierarchy");
    }

    /** A pids cgroup (v1) the agent is moved into, whose limit the test sets. */
    private static final class PidsLimit implements AutoCloseable {
        final Path cgroup = PIDS.resolve("rcon-test-" + UUID.randomUUID());

        PidsLimit(long pid) throws IOException {
            Files.createDirectory(cgroup);
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(pid));
        }

        void allowMore(int tasks) throws IOException {
            long current = Long.parseLong(Files.readString(cgroup.resolve("pids.current")).strip());
            Files.writeString(cgroup.resolve("pids.max"), Long.toString(current + tasks));
        }

        void lift() throws IOException {
            Files.writeString(cgroup.resolve("pids.max"), "max");
        }

        /** Moves whatever is still inside back to the root of the hierarchy, then removes the cgroup. */
        @Override
        public void close() throws IOException {
            for (String pid : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
                try {
                    Files.writeString(PIDS.resolve("cgroup.procs"), pid);
                } catch (IOException e) {
                    // It exited meanwhile.
                }
            }
            Files.deleteIfExists(cgroup);
        }
    }

    @Test
    void requestsBeyondTheHostsThreadLimitAreBusyAndTheSessionAndItsSlotsGoOn() throws Exception {
        Key key = TestKeys.fresh("threads");
        Path big = dir.resolve("big");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"));
             PidsLimit limit = new PidsLimit(agent.process().pid())) {
            try (TestClient client = TestClient.connect(agent.port(), key).withholdWindows()) {
                limit.allowMore(3);
                // Each get holds its thread once its first window is spent; the fourth finds none.
                ErrorReply refused = null;
                int id = 0;
                while (refused == null && id < 16) {
                    client.send(new Get(++id, big.toString()));
                    refused = busyAmongAnswers(client, id);
                }
                assertEquals(new ErrorReply(id, ErrorCode.BUSY, NO_THREAD), refused);
                limit.lift();
                assertEquals(0, client.run(Exec.shell(100, "true")).exit().code(), "the session goes on");
            }
            try (TestClient next = TestClient.connect(agent.port(), key)) {
                assertEquals(0, next.run(Exec.shell(1, "true")).exit().code());
            }
            assertTrue(agent.process().isAlive());
        }
    }

    /** A stdin writer the host had no thread for is tried again: the eof was already queued, so no offer would. */
    @Test
    void stdinThatFoundNoWriterThreadReachesTheCommandOnceTheHostHasOne() throws Exception {
        Key key = TestKeys.fresh("threads");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"));
             PidsLimit limit = new PidsLimit(agent.process().pid());
             TestClient client = TestClient.connect(agent.port(), key)) {
            startCatOnceItSaidReady(client);
            awaitNoPrimer(agent);
            limit.allowMore(0);
            client.send(Stdin.bytes(1, "typed\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            client.send(Stdin.eof(1));
            client.send(new Ping(7));
            assertEquals(new Pong(7), client.receive(), "the reader went on without a writer thread");
            limit.lift();
            TestClient.Run run = client.collect(1);
            assertEquals("typed\n", new String(run.stdout(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, run.exit().code());
        }
    }

    /**
     * Each stdin record that found no writer thread scheduled a retry of its own, and each retry
     * that found none scheduled itself again: a console typing (or sending small records) while
     * the host is at its limit made the agent's one timer try to start threads hundreds of times
     * a second, delaying every command's timeout and filling the journal with the JVM's warnings.
     * One retry at a time takes whatever is queued.
     */
    @Test
    void stdinRecordsThatFindNoWriterThreadAreRetriedByOneTimerTaskNotOneEach() throws Exception {
        Key key = TestKeys.fresh("threads");
        Path attempts = dir.resolve("threads.log");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"),
                // The JVM's warning for each failed start goes to this file only (not to stdout, which the test leaves unread).
                "-Xlog:disable", "-Xlog:os+thread=warning:file=" + attempts);
             PidsLimit limit = new PidsLimit(agent.process().pid());
             TestClient client = TestClient.connect(agent.port(), key)) {
            startCatOnceItSaidReady(client);
            awaitNoPrimer(agent);
            limit.allowMore(0);
            int records = 100;
            for (int i = 0; i < records; i++) {
                client.send(Stdin.bytes(1, new byte[] {'x'}));
            }
            client.send(new Ping(7));
            assertEquals(new Pong(7), client.receive());
            Thread.sleep(300);
            long before = failedStarts(attempts);
            Thread.sleep(1000);
            long perSecond = failedStarts(attempts) - before;
            limit.lift();
            // One retry every 100 ms is 10 a second; give the JVM's own threads room too.
            assertTrue(perSecond < 60, perSecond + " failed thread starts a second while " + records
                    + " stdin records waited for a writer");
            client.send(Stdin.eof(1));
            TestClient.Run run = client.collect(1);
            assertEquals("x".repeat(records), new String(run.stdout(), java.nio.charset.StandardCharsets.US_ASCII),
                    "every record reached the command once the host had a thread");
        }
    }

    /**
     * Attack: in 66bc87a the first connection the agent accepted at descriptor 64 or above loaded
     * JLine's native library to mark its socket close-on-exec (CloseOnExec), and JLine's loader
     * starts a thread. (Connections no longer load it, CloseOnExecTest; a command's pipes or a
     * terminal still may, and a mark must never throw on any of those paths.)
     * A key holder who fills the unit's task limit and then opens sessions until the agent's
     * lowest free descriptor is 64 (or a crowd of consoles that does so while a command fills it)
     * made that Thread.start throw OutOfMemoryError, which CloseOnExec did not catch: it escaped the
     * accept loop, the listener's thread died, and the agent, alive, accepted no connection again
     * until restarted. A mark is best effort: nothing it meets may cost the listener.
     */
    @Test
    void aListenerWhoseFirstCloseOnExecMarkFindsNoThreadGoesOnAccepting() throws Exception {
        Key key = TestKeys.fresh("threads");
        List<TestClient> sessions = new ArrayList<>();
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"),
                "-Xlog:disable");
             PidsLimit limit = new PidsLimit(agent.process().pid())) {
            Path fds = Path.of("/proc/" + agent.process().pid() + "/fd");
            // Each session holds its socket: the next one the agent accepts is numbered CloseOnExec.FROM or above.
            while (lowestFree(fds) < CLOSE_ON_EXEC_FROM) {
                assertTrue(sessions.size() < CLOSE_ON_EXEC_FROM, "the agent's descriptors did not reach "
                        + CLOSE_ON_EXEC_FROM);
                sessions.add(TestClient.connect(agent.port(), key));
            }
            awaitNoPrimer(agent);
            limit.allowMore(0);
            try (Socket late = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
                // The gate finds no thread for its handshake either: it says so and lets it go.
                String log = agent.awaitLog("cannot take the connection", Duration.ofSeconds(10));
                assertFalse(log.contains("thread accept-"), log);
            } finally {
                limit.lift();
            }
            try (TestClient next = TestClient.connect(agent.port(), key)) {
                assertEquals(0, next.run(Exec.shell(1, "true")).exit().code(), "the listener accepts again");
            }
            assertTrue(agent.process().isAlive());
        } finally {
            for (TestClient c : sessions) {
                c.close();
            }
        }
    }

    /** The lowest descriptor number not open in {@code fds} (a /proc/PID/fd): the kernel's next. */
    private static int lowestFree(Path fds) throws IOException {
        java.util.Set<Integer> open = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> list = Files.list(fds)) {
            list.forEach(fd -> open.add(Integer.parseInt(fd.getFileName().toString())));
        }
        int n = 0;
        while (open.contains(n)) {
            n++;
        }
        return n;
    }

    /**
     * Starts {@code cat} as request 1 and waits for its first output: then the start is over and
     * its stderr pump has its thread (a limit set right after started raced that thread, and the
     * command was answered busy).
     */
    /**
     * exec: a cat the shell forked after saying ready could meet the limit set next ("sh: 1:
     * Cannot fork" on stderr, seen on Temurin 25), where an exec needs no new process.
     */
    private static void startCatOnceItSaidReady(TestClient client) throws IOException {
        client.send(new Exec(1, "echo ready; exec cat", null, null, null, null, true));
        assertEquals(dev.rcon.common.msg.Started.class, client.receive().getClass());
        assertEquals(dev.rcon.common.msg.Stdout.class, client.receive().getClass());
    }

    /**
     * Waits (10 s at most) until the agent's join primer has ended: it runs for 100 ms after each
     * session authenticates (exec/JoinPrimer), and a thread that ends after the limit was set
     * leaves room for one more, which these tests must not have.
     */
    private static void awaitNoPrimer(AgentProcess agent) throws Exception {
        Path tasks = Path.of("/proc/" + agent.process().pid() + "/task");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (primerRuns(tasks) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertFalse(primerRuns(tasks), "the agent's join primer still ran 10 s after the last session authenticated");
    }

    private static boolean primerRuns(Path tasks) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.list(tasks)) {
            return all.anyMatch(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip().equals("cgroup-primer");
                } catch (IOException e) {
                    return false; // ended while listed
                }
            });
        }
    }

    private static long failedStarts(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (java.util.stream.Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Failed to start")).count();
        }
    }

    /** Reads what the agent sends until it has answered get {@code id}: its file record, or an error. */
    private static ErrorReply busyAmongAnswers(TestClient client, int id) throws IOException {
        while (true) {
            Message m = client.receive();
            if (m instanceof ErrorReply e && e.id() == id) {
                return e;
            }
            if (m instanceof dev.rcon.common.msg.FileInfo f && f.id() == id) {
                return null;
            }
        }
    }
}
