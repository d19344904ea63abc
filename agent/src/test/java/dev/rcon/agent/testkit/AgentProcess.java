package dev.rcon.agent.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code rcon-agent} JVM, started from the test class path. */
public final class AgentProcess implements AutoCloseable {
    /**
     * What an agent run from the class path needs, as the agent jar's manifest ({@code Add-Opens})
     * gives it: the agent takes its commands' pipes out of the JDK's streams, and marks its own
     * descriptors close-on-exec (CloseOnExec).
     */
    public static final List<String> OPENS =
            List.of("--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED");
    private static final Pattern LISTENING = Pattern.compile("listening on (.+):(\\d+)");
    private static final Pattern CGROUPS = Pattern.compile("commands run in cgroups under (\\S+)");

    private final Process process;
    private final int port;
    private final Path log;

    private AgentProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts an agent on 127.0.0.1:0 and waits for its {@code listening on} line.
     *
     * @param jvmOptions for example {@code -Xmx64m}
     */
    public static AgentProcess start(Path authorizedKeys, Path log, String... jvmOptions) throws IOException {
        return start(List.of(), authorizedKeys, log, jvmOptions);
    }

    /** As {@link #start}, with {@code signal} (INT, say) ignored, as a shell's background job has it. */
    public static AgentProcess startIgnoring(String signal, Path authorizedKeys, Path log) throws IOException {
        return start(List.of("/usr/bin/env", "--ignore-signal=" + signal), authorizedKeys, log);
    }

    /**
     * As {@link #start}, in a mount namespace of its own where /bin/sh runs bash (bound over the
     * file it links to), as on hosts whose /bin/sh is bash. Needs root.
     */
    public static AgentProcess startWithBashAsSh(Path authorizedKeys, Path log) throws IOException {
        return start(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount --bind /bin/bash \"$(readlink -f /bin/sh)\" && exec \"$0\" \"$@\""), authorizedKeys, log);
    }

    /**
     * As {@link #start}, in a PID namespace of its own whose PIDs wrap at {@code pidMax}, so that a
     * test can bring them round in a second; a shell stays its first process and reaps orphans.
     * Only where {@link #canWrapPids} says so: on older kernels pid_max is the whole host's.
     */
    public static AgentProcess startWithPidsWrappingAt(int pidMax, Path authorizedKeys, Path log) throws IOException {
        return start(List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "/bin/sh", "-c",
                "echo " + pidMax + " >/proc/sys/kernel/pid_max && \"$0\" \"$@\""), authorizedKeys, log,
                // As the unit runs it: with the JDK's default on two cores each command's exit takes
                // a thread of its own, and a PID, so commands would take every other PID only.
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    }

    /**
     * Whether a PID namespace has a pid_max of its own (Linux 6.14 and later): asked from inside a
     * user namespace too, where an older kernel refuses the write instead of applying it to the host.
     */
    public static boolean canWrapPids() throws IOException, InterruptedException {
        return succeeds("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
                "/bin/sh", "-c", "echo 1000 >/proc/sys/kernel/pid_max") && canMountPrivately();
    }

    /** Whether this process may make a mount namespace of its own (root, and not confined from it). */
    public static boolean canMountPrivately() throws IOException, InterruptedException {
        return succeeds("unshare", "--mount", "--propagation", "private", "true");
    }

    /**
     * As {@link #start}, in a network namespace of its own with only loopback up, after
     * {@code setup}: bash run inside the namespace (a sysctl, a socket to hold), whose open
     * descriptors the agent inherits. The namespace goes with the agent. Only where
     * {@link #canMakeNetworkNamespace} says so.
     */
    public static AgentProcess startInNetworkNamespace(String setup, Path authorizedKeys, Path log) throws IOException {
        return start(List.of("unshare", "--net", "/bin/bash", "-c",
                "ip link set lo up && " + setup + " && exec \"$0\" \"$@\""), authorizedKeys, log);
    }

    /** Whether this process may make a network namespace of its own and bring up its loopback (root). */
    public static boolean canMakeNetworkNamespace() throws IOException, InterruptedException {
        return succeeds("unshare", "--net", "ip", "link", "set", "lo", "up");
    }

    /** Whether {@code command} exits 0: a probe of what this machine lets the tests do. */
    private static boolean succeeds(String... command) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return probe.waitFor() == 0;
    }

    /**
     * As {@link #start}, leading a session of its own with no controlling terminal, as systemd
     * starts a service (setsid(2) before exec).
     */
    public static AgentProcess startAsSessionLeader(Path authorizedKeys, Path log) throws IOException {
        return start(List.of("/usr/bin/setsid"), authorizedKeys, log);
    }

    /** As {@link #start}, with at most {@code maxFiles} open file descriptors (ulimit -n). */
    public static AgentProcess startWithFileLimit(int maxFiles, Path authorizedKeys, Path log) throws IOException {
        return start(List.of("sh", "-c", "ulimit -n " + maxFiles + " && exec \"$0\" \"$@\""), authorizedKeys, log);
    }

    private static AgentProcess start(List<String> prefix, Path authorizedKeys, Path log, String... jvmOptions)
            throws IOException {
        return launch(prefix, log, List.of(jvmOptions), System.getProperty("java.class.path"),
                List.of("dev.rcon.agent.AgentMain", "--listen", "127.0.0.1:0", "--authorized-keys", authorizedKeys.toString(),
                        "--audit-file", authorizedKeys.resolveSibling("audit.jsonl").toString()));
    }

    /**
     * Starts the agent as the systemd unit does, through {@code ServiceMain} with {@code args}
     * (CONFIG [AUTHORIZED_KEYS]), and waits for its {@code listening on} line; the configuration
     * should listen on 127.0.0.1:0.
     */
    public static AgentProcess startService(List<String> args, Path log, String... jvmOptions) throws IOException {
        return startService(System.getProperty("java.class.path"), args, log, jvmOptions);
    }

    /**
     * Writes {@code dir/agent.json} for {@link #startService}: listening on 127.0.0.1:0, the keys
     * of {@code authorizedKeys}, the audit trail in {@code dir}.
     */
    public static Path serviceConfig(Path dir, Path authorizedKeys) throws IOException {
        Path file = dir.resolve("agent.json");
        Files.writeString(file, "{\"listen\": [\"127.0.0.1:0\"], \"authorized_keys\": \"" + authorizedKeys
                + "\", \"audit_file\": \"" + dir.resolve("audit.jsonl") + "\"}\n");
        return file;
    }

    /** As {@link #startService(List, Path, String...)}, from {@code classPath} instead of the test's. */
    public static AgentProcess startService(String classPath, List<String> args, Path log, String... jvmOptions)
            throws IOException {
        List<String> mainAndArgs = new ArrayList<>(List.of("dev.rcon.agent.ServiceMain"));
        mainAndArgs.addAll(args);
        return launch(List.of(), log, List.of(jvmOptions), classPath, mainAndArgs);
    }

    private static AgentProcess launch(List<String> prefix, Path log, List<String> jvmOptions, String classPath,
            List<String> mainAndArgs) throws IOException {
        // HUP as systemd leaves it, even when the tests run under nohup (an agent started with HUP
        // ignored cannot reload); the prefix comes after, so startIgnoring("HUP") still ignores it.
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=HUP"));
        cmd.addAll(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(OPENS);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : LISTENING.matcher(line);
        if (m == null || !m.matches()) {
            p.destroyForcibly();
            throw new IOException("agent did not start: first line '" + line + "'");
        }
        return new AgentProcess(p, Integer.parseInt(m.group(2)), log);
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    /** Sends signal {@code name} (say {@code HUP}) to the agent, as systemd's ExecReload does. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid()))
                .redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -s " + name + " " + process.pid() + " failed: " + out);
        }
    }

    /**
     * Waits until the agent's log holds {@code text}, woken by each write to the log (inotify),
     * for at most {@code timeout}.
     *
     * @return the whole log at that point
     * @throws AssertionError if the text did not appear in time
     */
    public String awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watch = log.getFileSystem().newWatchService()) {
            log.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                String now = Files.readString(log);
                if (now.contains(text)) {
                    return now;
                }
                WatchKey key = watch.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (key == null) {
                    throw new AssertionError("the agent did not log '" + text + "' within " + timeout + "; it logged:\n" + now);
                }
                key.pollEvents();
                key.reset();
            }
        }
    }

    /**
     * Kills the agent with SIGKILL, as a crash would, then ends and removes the cgroups of the
     * commands it was running: the agent no longer can, and a test host's hierarchy would keep
     * them for good (under systemd the unit's cgroup goes with the unit).
     */
    public void killAbruptly() throws IOException, InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Matcher m = CGROUPS.matcher(Files.readString(log));
        if (m.find()) {
            CgroupChecks.removeLeftBy(Path.of(m.group(1)), process.pid());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
