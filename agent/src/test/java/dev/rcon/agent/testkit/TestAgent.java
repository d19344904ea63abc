package dev.rcon.agent.testkit;

import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.HostPort;
import dev.rcon.agent.exec.Launcher;
import dev.rcon.agent.net.Agent;
import dev.rcon.agent.net.Log;
import dev.rcon.common.auth.Key;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An in-process agent on 127.0.0.1, port 0. It allows one key: the one derived for the label
 * 127.0.0.1 from a fleet key (RCON1.md 5.1), as {@code rcon authorize 127.0.0.1} would enroll it.
 * Agent tests speak with {@link #key()}; console tests give the console {@link #fleetKey()}.
 */
public final class TestAgent implements AutoCloseable {
    public static final String LABEL = "127.0.0.1";

    private final Agent agent;
    private final Key fleetKey;
    private final Key key;
    private final int port;
    private final Path authorizedKeys;
    private final LogBuffer logBuffer = new LogBuffer();

    private TestAgent(Path dir, Key fleetKey, String label, UnaryOperator<AgentConfig> tweak) throws IOException {
        this(dir, fleetKey, label, tweak, Launcher.standard());
    }

    private TestAgent(Path dir, Key fleetKey, String label, UnaryOperator<AgentConfig> tweak, Launcher launcher)
            throws IOException {
        this.fleetKey = fleetKey;
        this.key = TestKeys.forHost(fleetKey, label);
        authorizedKeys = TestKeys.authorizedKeys(dir, key);
        AgentConfig config = tweak.apply(AgentConfig.defaults(List.of(new HostPort("127.0.0.1", 0)), authorizedKeys)
                .withAuditFile(dir.resolve("audit.jsonl")));
        PrintStream log = new PrintStream(logBuffer, true, StandardCharsets.UTF_8);
        agent = new Agent(config, AuthorizedKeys.load(authorizedKeys), new Log(log), new PrintStream(new ByteArrayOutputStream()),
                launcher);
        port = agent.start().get(0).getPort();
    }

    public static TestAgent start(Path dir) throws IOException {
        return new TestAgent(dir, TestKeys.fresh("tester"), LABEL, c -> c);
    }

    public static TestAgent start(Path dir, UnaryOperator<AgentConfig> tweak) throws IOException {
        return new TestAgent(dir, TestKeys.fresh("tester"), LABEL, tweak);
    }

    /** An agent whose commands start through {@code launcher} (a real one, wrapped to hold some up). */
    public static TestAgent startingThrough(Path dir, UnaryOperator<AgentConfig> tweak, Launcher launcher)
            throws IOException {
        return new TestAgent(dir, TestKeys.fresh("tester"), LABEL, tweak, launcher);
    }

    /** An agent in its own new directory under {@code parent}, enrolled for fleet key {@code fleetKey}. */
    public static TestAgent withKey(Path parent, Key fleetKey) throws IOException {
        return new TestAgent(java.nio.file.Files.createTempDirectory(parent, "agent"), fleetKey, LABEL, c -> c);
    }

    /** An agent in its own new directory under {@code parent}, enrolled for {@code fleetKey}, configured by {@code tweak}. */
    public static TestAgent withKey(Path parent, Key fleetKey, UnaryOperator<AgentConfig> tweak) throws IOException {
        return new TestAgent(java.nio.file.Files.createTempDirectory(parent, "agent"), fleetKey, LABEL, tweak);
    }

    /**
     * Writes {@code options} before the agent's key line (the file's only line) and reloads, as an
     * operator restricting the key would.
     */
    public TestAgent withOptions(String options) throws IOException {
        java.nio.file.Files.writeString(authorizedKeys, "# options set by a test\n" + options + " "
                + dev.rcon.common.auth.KeyLine.format(key) + "\n");
        agent.reloadKeys();
        return this;
    }

    /** An agent in its own new directory under {@code parent}, enrolled as host {@code label} of {@code fleetKey}. */
    public static TestAgent enrolledAs(Path parent, Key fleetKey, String label) throws IOException {
        return new TestAgent(java.nio.file.Files.createTempDirectory(parent, "agent"), fleetKey, label, c -> c);
    }

    /** An agent enrolled as host {@code label} that listens on that address (a 127.0.0.0/8 one). */
    public static TestAgent listeningAs(Path parent, Key fleetKey, String label) throws IOException {
        return new TestAgent(java.nio.file.Files.createTempDirectory(parent, "agent"), fleetKey, label,
                c -> c.withListen(List.of(new HostPort(label, 0))));
    }

    public int port() {
        return port;
    }

    /** The key the agent holds: the fleet key's, derived for 127.0.0.1. */
    public Key key() {
        return key;
    }

    /** The fleet key a console holds to reach this agent. */
    public Key fleetKey() {
        return fleetKey;
    }

    public Agent agent() {
        return agent;
    }

    public Path authorizedKeys() {
        return authorizedKeys;
    }

    public TestClient connect() throws IOException {
        return TestClient.connect(port, key);
    }

    /** Everything the agent logged so far. */
    public String log() {
        synchronized (logBuffer) {
            return logBuffer.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits up to 20 s for the log to contain {@code text} (it is written as events happen, some
     * after the console has seen their outcome); returns the log either way, for the assertion.
     */
    public String awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (logBuffer) {
            while (!log().contains(text)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                logBuffer.wait(left);
            }
            return log();
        }
    }

    /** The agent's log lines, and a wake-up for whoever waits on one. */
    private static final class LogBuffer extends ByteArrayOutputStream {
        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }
    }

    @Override
    public void close() {
        agent.close();
    }
}
