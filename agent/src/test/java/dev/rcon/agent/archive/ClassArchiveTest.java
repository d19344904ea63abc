package dev.rcon.agent.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.JarClassPath;
import dev.rcon.agent.testkit.SystemdUnits;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The unit's start step that records the agent's class-data archive, run as the unit runs it. */
@Timeout(180)
class ClassArchiveTest {
    @TempDir
    Path dir;

    private Path cache() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return cache;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code command} to its end, stdin closed: {exit code, its stdout and stderr together}. */
    private static String[] exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new String[] {String.valueOf(p.exitValue()), output};
    }

    /** Runs {@code ClassArchive ARCHIVE} in a JVM of its own from {@code classPath}: {exit code, output}. */
    private static String[] step(String classPath, Path archive) throws Exception {
        return exec(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                ClassArchive.class.getName(), archive.toString()));
    }

    /** Runs the step in-process with {@code java} as the JVM it starts: {exit code, stdout, stderr}. */
    private static String[] inProcess(Path java, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ClassArchive(java, System.getProperty("java.class.path"))
                .run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theArchiveIsRecordedOnceMappedByTheServiceAndRecordedAgainForANewJar() throws Exception {
        String classPath = JarClassPath.under(dir);
        Path archive = cache().resolve("classes.jsa");
        String[] first = step(classPath, archive);
        assertEquals("0", first[0], first[1]);
        assertTrue(first[1].matches("rcon-agent: recorded the class-data archive " + archive
                + " \\(\\d{3,} classes, from one training session\\)\n"), first[1]);
        assertEquals(List.of("classes.jsa"), Files.list(archive.getParent()).map(p -> p.getFileName().toString()).toList(),
                "the training's files are gone");

        // -Xshare:on: a JVM that cannot map the archive fails to start instead of running without it.
        // Native access as the unit gives it: JDK 22 and later map an archive only for the run's own.
        Key key = TestKeys.fresh("k");
        Path config = AgentProcess.serviceConfig(dir, TestKeys.authorizedKeys(dir, key));
        try (AgentProcess agent = AgentProcess.startService(classPath, List.of(config.toString()), dir.resolve("agent.log"),
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-Xshare:on", "-XX:SharedArchiveFile=" + archive);
             TestClient client = TestClient.connect(agent.port(), key)) {
            TestClient.Run run = client.run(Exec.shell(1, "echo mapped"));
            assertEquals("mapped\n", new String(run.stdout(), StandardCharsets.UTF_8));
        }

        FileTime recorded = Files.getLastModifiedTime(archive);
        String[] again = step(classPath, archive);
        assertEquals(List.of("0", ""), List.of(again), "a current archive is only checked");
        assertEquals(recorded, Files.getLastModifiedTime(archive));

        Path jar = Path.of(classPath.split(File.pathSeparator)[0]);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        String[] stale = step(classPath, archive);
        assertEquals("0", stale[0], stale[1]);
        assertTrue(stale[1].startsWith("rcon-agent: recorded the class-data archive " + archive), stale[1]);
    }

    /** The unit's ExecStart JVM options, between java and its class path, less its archive. */
    private static List<String> unitJvmOptions() throws Exception {
        String execStart = SystemdUnits.merged(SystemdUnits.DIR.resolve("rcon-agent.service")).get("ExecStart").get(0);
        List<String> words = List.of(execStart.split(" "));
        return words.subList(1, words.indexOf("-cp")).stream()
                .filter(word -> !word.startsWith("-XX:SharedArchiveFile=")).toList();
    }

    /** This test's JVM and every other JDK 17 or later installed beside it. */
    private static List<Path> jdks() throws Exception {
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        List<Path> found = new ArrayList<>(List.of(home));
        try (Stream<Path> homes = Files.list(home.getParent())) {
            for (Path other : homes.map(p -> p.toAbsolutePath()).sorted().toList()) {
                Path release = other.resolve("release");
                if (Files.isSymbolicLink(other) || other.equals(home) || !Files.isRegularFile(release)) {
                    continue;
                }
                String version = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                        .findFirst().orElse("JAVA_VERSION=\"0\"").replaceAll("[^0-9.]", "");
                if (Integer.parseInt(version.split("\\.")[0]) >= 17 && Files.isExecutable(other.resolve("bin/java"))) {
                    found.add(other);
                }
            }
        }
        return found;
    }

    @Test
    void theUnitsAgentMapsTheArchiveWithoutAWordFromTheJvmOnEveryJdk() throws Exception {
        String classPath = JarClassPath.under(dir);
        List<Path> jdks = jdks();
        assumeTrue(jdks.size() > 1, "only one JDK here: " + jdks);
        for (Path jdk : jdks) {
            Path java = jdk.resolve("bin/java");
            Path cache = Files.createTempDirectory(dir, "cache-");
            Path archive = cache.resolve("classes.jsa");
            assertEquals("0", new ClassArchive(java, classPath).run(new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(OutputStream.nullOutputStream()), archive.toString()) + "", jdk + " recorded no archive");
            List<String> cmd = new ArrayList<>(List.of(java.toString()));
            cmd.addAll(unitJvmOptions());
            cmd.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", classPath,
                    "dev.rcon.agent.archive.Training"));
            // Training with no argument prints its usage only: what the JVM says before is the archive's.
            assertEquals("rcon-agent: expected DIR (a private directory for the training's files) but got 0 arguments\n",
                    exec(cmd)[1], jdk + " under the unit's options");
        }
    }

    @Test
    void aDirectoryOthersMayWriteGetsNoArchive() throws Exception {
        Path cache = cache();
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        String[] run = inProcess(Path.of("/bin/false"), cache.resolve("classes.jsa").toString());
        assertEquals(List.of("1", "", "rcon-agent: no class-data archive " + cache.resolve("classes.jsa") + ": " + cache
                + " is writable by others (mode 0777): the JVM runs what the archive holds; the agent starts without one\n"),
                List.of(run));
        assertEquals(0, Files.list(cache).count());
    }

    @Test
    void aDirectoryOfAnotherUserGetsNoArchive() throws Exception {
        TestKeys.assumeRoot();
        Path cache = cache();
        TestKeys.chown(cache, TestKeys.NOBODY);
        String[] run = inProcess(Path.of("/bin/false"), cache.resolve("classes.jsa").toString());
        assertEquals("1", run[0]);
        assertTrue(run[2].contains(cache + " is owned by uid " + TestKeys.NOBODY + ", not by this user (uid 0)"), run[2]);
    }

    @Test
    void aTrainingThatFailsIsOneLineAndLeavesNothing() throws Exception {
        Path cache = cache();
        String[] run = inProcess(Path.of("/bin/false"), cache.resolve("classes.jsa").toString());
        assertEquals(List.of("1", "", "rcon-agent: no class-data archive " + cache.resolve("classes.jsa")
                + ": the training session failed (exit 1): no output; the agent starts without one\n"), List.of(run));
        assertEquals(0, Files.list(cache).count());
    }

    @Test
    void aTrainingThatCannotServeItsSessionSaysWhyInOneLine() throws Exception {
        Path missing = dir.resolve("missing");
        String[] run = exec(List.of(java(), "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Training.class.getName(), missing.toString()));
        assertEquals(List.of("1", "rcon-agent: " + missing.resolve("authorized_keys") + ": no such file or directory\n"),
                List.of(run));
    }

    @Test
    void aCheckThatHangsIsKilledWithWhatItStartedAndLeavesNothing() throws Exception {
        Path cache = cache();
        Path archive = Files.writeString(cache.resolve("classes.jsa"), "an archive to check");
        Path started = dir.resolve("started.pid");
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nsleep 120 & echo $! >" + started + "\nsleep 120\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        String[] run = inProcess(java, archive.toString());
        assertEquals(List.of("1", "", "rcon-agent: no class-data archive " + archive
                + ": the archive's check took longer than 10 s; the agent starts without one\n"), List.of(run));
        long pid = Long.parseLong(Files.readString(started).strip());
        ProcessHandle child = ProcessHandle.of(pid).orElse(null);
        boolean ended = child == null || child.onExit().thenApply(h -> true).completeOnTimeout(false, 5, TimeUnit.SECONDS).get();
        if (!ended) {
            child.destroyForcibly();
        }
        assertTrue(ended, "what the hung check started (pid " + pid + ") outlived it");
        assertEquals(List.of("classes.jsa"), Files.list(cache).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void badArgumentsAreOneLine() {
        assertEquals(List.of("2", "", "rcon-agent: expected ARCHIVE (as the unit gives: /var/cache/rcon-agent/classes.jsa)"
                + " but got 0 arguments\n"), List.of(inProcess(Path.of("/bin/false"))));
        assertEquals(List.of("2", "", "rcon-agent: expected ARCHIVE (as the unit gives: /var/cache/rcon-agent/classes.jsa)"
                + " but got the option '--help'\n"), List.of(inProcess(Path.of("/bin/false"), "--help")));
        assertFalse(inProcess(Path.of("/bin/false"), "/nonexistent/dir/classes.jsa")[2].isEmpty());
        for (String directory : List.of("/", "", dir.toString())) {
            assertEquals(List.of("2", "", "rcon-agent: expected ARCHIVE (as the unit gives: /var/cache/rcon-agent/classes.jsa)"
                    + " but got '" + directory + "', a directory\n"), List.of(inProcess(Path.of("/bin/false"), directory)));
        }
    }
}
