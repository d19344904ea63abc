package dev.rcon.agent.testkit;

import dev.rcon.agent.config.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh in-process agent for each test, in a directory of its own with the console's key
 * file (the fleet key) beside it: {@code @RegisterExtension final AgentExtension agent = new AgentExtension();}
 */
public final class AgentExtension implements BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<AgentConfig> tweak;
    private Path dir;
    private TestAgent agent;
    private Path keyFile;

    public AgentExtension() {
        this(c -> c);
    }

    public AgentExtension(UnaryOperator<AgentConfig> tweak) {
        this.tweak = tweak;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("rcon-test");
        agent = TestAgent.start(dir, tweak);
        keyFile = TestKeys.keyFile(dir, agent.fleetKey());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        agent.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public TestAgent get() {
        return agent;
    }

    /** The directory the agent's files live in; tests may put their own beside them. */
    public Path dir() {
        return dir;
    }

    /** The console's key file (0600) for the agent's key. */
    public Path keyFile() {
        return keyFile;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + agent.port();
    }
}
