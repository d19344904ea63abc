package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stderr;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consoles cut off at every stage of a session (mid-handshake, after hello, during a command
 * with stdin, on a terminal, mid-put, mid-get, with output flooding unread, with both windows
 * exhausted, during a key change), a few times each, by a close or a reset. Afterwards the
 * agent must be back where it started: its threads, open descriptors, child processes, cgroup
 * directories and the put's staging files, and a fresh console gets every command slot.
 */
@Timeout(120)
class CutSessionLeakTest {
    private static final int ROUNDS = 4;
    private static final int MAX_COMMANDS = 6;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    /** What the agent holds that a session could leave behind. */
    private record Footprint(Set<String> threads, int fds, Set<Long> children, Set<String> cgroups,
                             Set<String> files) {
    }

    /** Where a stage connects: an in-process agent's port and key, or a real agent process's. */
    record Target(int port, dev.rcon.common.auth.Key key, java.util.concurrent.atomic.AtomicInteger handshakes) {
        Target(int port, dev.rcon.common.auth.Key key) {
            this(port, key, new java.util.concurrent.atomic.AtomicInteger());
        }

        TestClient connect() throws IOException {
            return TestClient.connect(port, key);
        }

        /**
         * A new loopback address for each broken handshake: failures from one address earn it a
         * penalty (refused before M0), which would end this hunt early, not show a leak.
         */
        InetAddress nextSource() throws IOException {
            int n = handshakes.getAndIncrement();
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (10 + n / 250), (byte) (1 + n % 250)});
        }
    }

    interface Stage {
        void cutOff(Target agent, Path files, boolean reset) throws Exception;
    }

    /** Every stage, by name, in the order they run. */
    static final java.util.Map<String, Stage> STAGES = stages();

    private static java.util.Map<String, Stage> stages() {
        java.util.Map<String, Stage> all = new java.util.LinkedHashMap<>();
        all.put("mid-handshake", CutSessionLeakTest::midHandshake);
        all.put("after hello", CutSessionLeakTest::afterHello);
        all.put("exec with stdin", CutSessionLeakTest::execWithStdin);
        all.put("terminal", CutSessionLeakTest::terminal);
        all.put("mid-put", CutSessionLeakTest::midPut);
        all.put("mid-get", CutSessionLeakTest::midGet);
        all.put("unread flood", CutSessionLeakTest::unreadFlood);
        all.put("windows exhausted", CutSessionLeakTest::windowsExhausted);
        all.put("terminal window spent", CutSessionLeakTest::terminalWindowSpent);
        all.put("stderr window spent", CutSessionLeakTest::stderrWindowSpent);
        all.put("key change", CutSessionLeakTest::keyChange);
        all.put("put at its end", CutSessionLeakTest::putAtItsEnd);
        all.put("many at once", CutSessionLeakTest::manyAtOnce);
        return java.util.Collections.unmodifiableMap(all);
    }

    @Test
    void consolesCutOffAtEveryStageLeaveNothingBehind() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withMaxCommands(MAX_COMMANDS)
                .withKillGrace(Duration.ofMillis(300))).withOptions("manage-keys")) {
            Path files = Files.createDirectories(dir.resolve("files"));
            Files.write(files.resolve("big"), new byte[8 << 20]);
            Footprint baseline = warmUp(agent, files);
            Target target = new Target(agent.port(), agent.key());
            for (var stage : STAGES.entrySet()) {
                for (int round = 0; round < ROUNDS; round++) {
                    stage.getValue().cutOff(target, files, round % 2 == 1);
                }
                assertBackTo(baseline, agent, files, stage.getKey());
                assertEveryCommandSlotIsFree(agent, stage.getKey());
            }
        }
    }

    /**
     * Runs a command with stdin once, so that what the agent makes lazily (its timer, the audit
     * writer) is in the baseline, then takes the baseline once that session's threads are gone.
     */
    private static Footprint warmUp(TestAgent agent, Path files) throws Exception {
        try (TestClient client = agent.connect()) {
            client.send(new Exec(1, "cat", null, null, null, 5000L, true));
            client.send(Stdin.eof(1));
            assertEquals(0, client.collect(1).exit().code());
        }
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Footprint now = footprint(agent, files);
        while (now.threads().stream().anyMatch(t -> t.startsWith("session-") || t.startsWith("exec-"))
                && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            now = footprint(agent, files);
        }
        return now;
    }

    static void cut(TestClient client, boolean reset) throws IOException {
        if (reset) {
            client.socket().setSoLinger(true, 0);
        }
        client.close();
    }

    private static void started(TestClient client) throws IOException {
        Message m = client.receive();
        assertInstanceOf(Started.class, m, m.toString());
    }

    private static void midHandshake(Target agent, Path files, boolean reset) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port(), agent.nextSource(), 0)) {
            s.getInputStream().readNBytes(4 + Limits.M0_LEN);
            s.getOutputStream().write(new byte[] {0, 0, 0, (byte) Limits.M1_LEN, 'R', 'C', 'O', 'N'});
            if (reset) {
                s.setSoLinger(true, 0);
            }
        }
    }

    private static void afterHello(Target agent, Path files, boolean reset) throws Exception {
        cut(agent.connect(), reset);
    }

    private static void execWithStdin(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect();
        client.send(new Exec(1, "cat", null, null, null, null, true));
        started(client);
        client.send(Stdin.bytes(1, new byte[1000]));
        cut(client, reset);
    }

    private static void terminal(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect();
        client.send(new Exec(1, "cat", null, null, null, null, null, new Pty("xterm", 80, 24)));
        started(client);
        client.send(Stdin.bytes(1, "hello\n".getBytes()));
        cut(client, reset);
    }

    private static void midPut(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect();
        client.send(new Put(1, files.resolve("put").toString(), 1L << 20, "0644"));
        client.send(Data.chunk(1, new byte[100_000]));
        client.send(new dev.rcon.common.msg.Ping(2));
        while (!(client.receive() instanceof dev.rcon.common.msg.Pong)) {
            // The data was read: the staging file may exist now.
        }
        cut(client, reset);
    }

    private static void midGet(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect().withholdWindows();
        client.send(new Get(1, files.resolve("big").toString()));
        assertInstanceOf(dev.rcon.common.msg.FileInfo.class, client.receive());
        client.receive();
        cut(client, reset);
    }

    private static void unreadFlood(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect().withholdWindows();
        client.send(new Exec(1, "yes", null, null, null, null, null));
        started(client);
        client.receive();
        cut(client, reset);
    }

    private static void windowsExhausted(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect().withholdWindows();
        client.send(new Exec(1, "cat", null, null, null, null, true));
        started(client);
        // W0 of stdin, which cat echoes until its output window is spent and it blocks.
        byte[] chunk = new byte[Limits.CHUNK];
        for (int sent = 0; sent < 4 << 20; sent += chunk.length) {
            client.send(Stdin.bytes(1, chunk));
        }
        cut(client, reset);
    }

    /** The whole output window taken, none granted: the terminal's reader waits for credit. */
    private static void terminalWindowSpent(Target agent, Path files, boolean reset) throws Exception {
        spendOutputWindow(agent, new Exec(1, "yes", null, null, null, null, null, new Pty("xterm", 80, 24)), reset);
    }

    /** The same for the stderr pump, whose command TERM ends while stdout has nothing more to say. */
    private static void stderrWindowSpent(Target agent, Path files, boolean reset) throws Exception {
        spendOutputWindow(agent, Exec.shell(1, "yes >&2"), reset);
    }

    private static void spendOutputWindow(Target agent, Exec exec, boolean reset) throws Exception {
        TestClient client = agent.connect().withholdWindows();
        client.send(exec);
        long got = 0;
        while (got < 4 << 20) {
            Message m = client.receive();
            got += m instanceof Stdout out ? out.payload().length : m instanceof Stderr err ? err.payload().length : 0;
        }
        cut(client, reset);
    }

    private static void keyChange(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect();
        client.send(Keys.add(1, KeyLine.format(TestKeys.fresh("rotated"))));
        cut(client, reset);
    }

    private static void putAtItsEnd(Target agent, Path files, boolean reset) throws Exception {
        TestClient client = agent.connect();
        byte[] bytes = new byte[200_000];
        client.send(new Put(1, files.resolve("put").toString(), (long) bytes.length, "0644"));
        client.send(Data.chunk(1, bytes));
        client.send(Data.last(1, java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes))));
        cut(client, reset);
    }

    /** Sessions flooding output and holding stdin, all cut off together, while others start. */
    private static void manyAtOnce(Target agent, Path files, boolean reset) throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                TestClient client = agent.connect().withholdWindows();
                client.send(new Exec(1, "yes", null, null, null, null, null));
                client.send(new Exec(2, "cat", null, null, null, null, true));
                client.send(Stdin.bytes(2, new byte[10_000]));
                client.send(new Get(3, files.resolve("big").toString()));
                clients.add(client);
            }
        } finally {
            for (TestClient client : clients) {
                cut(client, reset);
            }
        }
    }

    /**
     * The JDK's shared pools, which keep an idle worker for up to a minute after its task and
     * start one more when tasks come together: the common pool (where process exits are handed
     * on; with 4 CPUs, or any on Temurin 25, 'ForkJoinPool.commonPool-worker-2' appeared in
     * 'after hello' and stayed past the settle time) and the process reapers. What ran on them
     * for a command that did not end shows as a child left behind. The agent's own kept threads
     * too, while idle ('agent-idle-N', for 5 s): one whose task never returned keeps the task's
     * name ('exec-...-stdout') and shows as left behind.
     */
    private static boolean jdkPool(String thread) {
        return thread.startsWith("ForkJoinPool.commonPool-worker-") || thread.startsWith("process reaper")
                || thread.startsWith("agent-idle-");
    }

    private static Footprint footprint(TestAgent agent, Path files) throws IOException {
        Set<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(name -> !jdkPool(name)).collect(Collectors.toCollection(TreeSet::new));
        int fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = (int) open.count();
        }
        Set<Long> children = ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> cgroups = new TreeSet<>();
        Path root = cgroupRoot(agent);
        if (root != null) {
            // Only this JVM's: other agents on the host make theirs beside them.
            String mine = dev.rcon.agent.exec.CommandScopes.NAME_PREFIX + ProcessHandle.current().pid() + "-";
            try (Stream<Path> all = Files.list(root)) {
                all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(mine)).forEach(cgroups::add);
            }
        }
        Set<String> names;
        try (Stream<Path> all = Files.list(files)) {
            names = all.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        return new Footprint(threads, fds, children, cgroups, names);
    }

    /** Where the agent makes its commands' cgroups, as it logged at its start; null in process-group mode. */
    private static Path cgroupRoot(TestAgent agent) {
        String marker = "commands run in cgroups under ";
        return agent.log().lines().filter(l -> l.contains(marker)).findFirst()
                .map(l -> Path.of(l.substring(l.indexOf(marker) + marker.length()).split(" ")[0])).orElse(null);
    }

    /** Waits until the agent holds no more than at the baseline, then compares, naming what is left. */
    private static void assertBackTo(Footprint baseline, TestAgent agent, Path files, String stage) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        long pause = TimeUnit.MILLISECONDS.toNanos(5);
        Footprint now = footprint(agent, files);
        while (!settled(baseline, now) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(pause);
            pause = Math.min(2 * pause, TimeUnit.MILLISECONDS.toNanos(200));
            now = footprint(agent, files);
        }
        Set<String> moreThreads = new TreeSet<>(now.threads());
        moreThreads.removeAll(baseline.threads());
        Set<Long> moreChildren = new TreeSet<>(now.children());
        moreChildren.removeAll(baseline.children());
        Set<String> moreCgroups = new TreeSet<>(now.cgroups());
        moreCgroups.removeAll(baseline.cgroups());
        Set<String> moreFiles = new TreeSet<>(now.files());
        moreFiles.removeAll(baseline.files());
        moreFiles.remove("put");
        String left = "after '" + stage + "': threads " + moreThreads + ", fds " + baseline.fds() + " -> " + now.fds()
                + ", children " + moreChildren + ", cgroups " + moreCgroups + ", files " + moreFiles;
        if (!moreThreads.isEmpty() || now.fds() > baseline.fds() || !moreChildren.isEmpty()
                || !moreCgroups.isEmpty() || !moreFiles.isEmpty()) {
            fail(left + "\n" + stacksOf(moreThreads) + agent.log());
        }
    }

    /** Where each thread left behind waits, and the JDK's pool workers (a stuck exit hand-over shows there). */
    private static String stacksOf(Set<String> names) {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (names.contains(thread.getName()) || jdkPool(thread.getName())) {
                sb.append(thread.getName()).append(" (").append(thread.getState()).append(")\n");
                for (StackTraceElement frame : stack) {
                    sb.append("    at ").append(frame).append('\n');
                }
            }
        });
        return sb.toString();
    }

    private static boolean settled(Footprint baseline, Footprint now) {
        Set<String> files = new TreeSet<>(now.files());
        files.remove("put");
        return baseline.threads().containsAll(now.threads()) && now.fds() <= baseline.fds()
                && baseline.children().containsAll(now.children()) && baseline.cgroups().containsAll(now.cgroups())
                && baseline.files().containsAll(files);
    }

    /** A fresh console gets max_commands commands running at once, each with stdin (an input slot). */
    private static void assertEveryCommandSlotIsFree(TestAgent agent, String stage) throws Exception {
        try (TestClient client = agent.connect()) {
            List<Message> answers = new ArrayList<>();
            for (int id = 1; id <= MAX_COMMANDS; id++) {
                client.send(new Exec(id, "cat", null, null, null, null, true));
            }
            for (int id = 1; id <= MAX_COMMANDS; id++) {
                answers.add(client.receive());
            }
            assertTrue(answers.stream().allMatch(m -> m instanceof Started),
                    "after '" + stage + "' a fresh console got " + answers);
            // Ended by their input, so that their slots are free once their exits are heard.
            for (int id = 1; id <= MAX_COMMANDS; id++) {
                client.send(Stdin.eof(id));
            }
            for (int id = 1; id <= MAX_COMMANDS; id++) {
                assertEquals(0, client.collect(id).exit().code());
            }
        }
    }
}
