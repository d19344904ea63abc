package dev.rcon.console.testkit;

import dev.rcon.agent.testkit.AgentProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private network namespace made by the test (ip netns), with only loopback up: every
 * address of 127.0.0.0/8 reaches an agent listening on 0.0.0.0 inside it, and nothing outside.
 * Where a namespace cannot be made (not root, no ip), the test is skipped and says why.
 */
public final class Netns implements AutoCloseable {
    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    public static Netns createOrSkip() throws Exception {
        String name = "rcon-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        String why = run(List.of("ip", "netns", "add", name));
        Assumptions.assumeTrue(why == null, () -> "skipped: cannot create a network namespace: " + why);
        Netns ns = new Netns(name);
        String up = run(ns.command(List.of("ip", "link", "set", "lo", "up")));
        if (up != null) {
            ns.close();
            Assumptions.abort("skipped: cannot bring up loopback in a network namespace: " + up);
        }
        return ns;
    }

    /** {@code command} to run inside the namespace. */
    public List<String> command(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    /** A JVM inside the namespace running {@code mainClass} from the test class path. */
    public List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xss512k"));
        cmd.addAll(AgentProcess.OPENS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return command(cmd);
    }

    /** Null on success, else what went wrong. */
    private static String run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out: " + command;
            }
            return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() throws Exception {
        run(List.of("ip", "netns", "del", name));
    }
}
