package dev.rcon.console.testkit;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Several in-process agents on 127.0.0.1 ports enrolled for one fleet key, and the console run
 * in-process against them with that key and its state under the test's directory.
 */
public final class TestFleet implements AutoCloseable {
    private final Path dir;
    private final Key key;
    private final Path keyFile;
    private final List<TestAgent> agents = new ArrayList<>();

    private TestFleet(Path dir, int size) throws IOException {
        this.dir = dir;
        this.key = TestKeys.fresh("fleet");
        this.keyFile = TestKeys.keyFile(dir, key);
        for (int i = 0; i < size; i++) {
            agents.add(TestAgent.withKey(dir, key));
        }
    }

    /** {@code size} agents under {@code dir}. */
    public static TestFleet start(Path dir, int size) throws IOException {
        return new TestFleet(dir, size);
    }

    public List<TestAgent> agents() {
        return agents;
    }

    public Path keyFile() {
        return keyFile;
    }

    /** Agent {@code i} as a host list names it. */
    public String host(int i) {
        return "127.0.0.1:" + agents.get(i).port();
    }

    /** Every agent, as one host list. */
    public String hosts() {
        return agents.stream().map(a -> "127.0.0.1:" + a.port()).collect(Collectors.joining(","));
    }

    /** {@code rcon --key KEY ARGS} with empty stdin and $XDG_STATE_HOME in the test's directory. */
    public ConsoleRun rcon(String... args) {
        List<String> all = new ArrayList<>(List.of("--key", keyFile.toString()));
        all.addAll(List.of(args));
        return ConsoleRun.run(dir, new ByteArrayInputStream(new byte[0]), Map.of("XDG_STATE_HOME", dir.toString()),
                all.toArray(String[]::new));
    }

    @Override
    public void close() {
        agents.forEach(TestAgent::close);
    }
}
