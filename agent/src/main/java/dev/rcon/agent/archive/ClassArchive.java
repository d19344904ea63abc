package dev.rcon.agent.archive;

import dev.rcon.common.auth.KeyFiles;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ClassArchive ARCHIVE}: the unit's start step that keeps ARCHIVE, a class-data archive
 * of the classes an agent loads (the JDK's and its own), current for this JVM and this class
 * path. The unit's agent maps it ({@code -XX:SharedArchiveFile}) instead of the JDK's archive of
 * about 1200 classes it mostly does not use: 3 MB less resident memory (bench/README.md).
 *
 * <p>An archive holds code the JVM trusts, so it is recorded only in a directory of this user's
 * that nobody else may write (the unit's {@code CacheDirectory}, 0700), and replaced whole. A
 * JDK that finds it stale (a new JDK or jar) ignores it and runs without, so this step records
 * again at the next start whenever the archive does not map; otherwise it prints nothing and
 * costs one JVM start. It fails with one line and exit 1, and the agent then starts without.
 */
public final class ClassArchive {
    // Together well inside systemd's 90 s for a unit's start: a step that hangs fails, the agent starts.
    private static final Duration CHECK = Duration.ofSeconds(10);
    private static final Duration TRAIN = Duration.ofSeconds(30);
    private static final Duration DUMP = Duration.ofSeconds(30);
    private static final Duration KILLED = Duration.ofSeconds(5);
    private static final int GROUP_OTHERS_WRITE = 0022;

    private final Path java;
    private final String classPath;

    ClassArchive(Path java, String classPath) {
        this.java = java;
        this.classPath = classPath;
    }

    public static void main(String[] args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        System.exit(new ClassArchive(java, System.getProperty("java.class.path")).run(System.out, System.err, args));
    }

    /** 0 when ARCHIVE is current (recorded now or before), 1 when it could not be, 2 for bad arguments. */
    int run(PrintStream out, PrintStream err, String... args) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("rcon-agent: expected ARCHIVE (as the unit gives: /var/cache/rcon-agent/classes.jsa) but got "
                    + (args.length == 1 ? "the option '" + args[0] + "'" : args.length + " arguments"));
            return 2;
        }
        Path archive = Path.of(args[0]).toAbsolutePath();
        if (args[0].isEmpty() || archive.getParent() == null || Files.isDirectory(archive, LinkOption.NOFOLLOW_LINKS)) {
            // A directory would be found only after the training, and '/' has no directory to record in.
            err.println("rcon-agent: expected ARCHIVE (as the unit gives: /var/cache/rcon-agent/classes.jsa) but got '"
                    + args[0] + "', a directory");
            return 2;
        }
        try {
            checkDirectory(archive.getParent());
            if (current(archive)) {
                return 0;
            }
            long classes = record(archive);
            out.println("rcon-agent: recorded the class-data archive " + archive + " (" + classes
                    + " classes, from one training session)");
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("rcon-agent: no class-data archive " + archive + ": " + e.getMessage()
                    + "; the agent starts without one");
            return 1;
        }
    }

    /** Refuses a directory someone else could write, where another user could plant the archive. */
    static void checkDirectory(Path dir) throws IOException {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(dir, "unix:isDirectory,uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new IOException("no such directory: " + dir, e);
        }
        if (!(Boolean) attrs.get("isDirectory")) {
            throw new IOException(dir + " is not a directory");
        }
        int uid = (Integer) attrs.get("uid");
        int euid = KeyFiles.effectiveUid();
        if (uid != euid) {
            throw new IOException(dir + " is owned by uid " + uid + ", not by this user (uid " + euid
                    + "): the JVM runs what the archive holds");
        }
        int mode = (Integer) attrs.get("mode") & 07777;
        if ((mode & GROUP_OTHERS_WRITE) != 0) {
            throw new IOException(dir + " is writable by others (mode " + String.format("%04o", mode)
                    + "): the JVM runs what the archive holds");
        }
    }

    /** Whether this JVM maps {@code archive} with this class path: a JVM told to share or fail. */
    boolean current(Path archive) throws IOException {
        if (!Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        List<String> check = jvm("-Xshare:on", "-XX:SharedArchiveFile=" + archive);
        check.add("-version");
        return exec(check, ProcessBuilder.Redirect.DISCARD, CHECK, "the archive's check") == 0;
    }

    /** Records the classes of a training session and dumps them into {@code archive}; the count. */
    long record(Path archive) throws IOException {
        Path work = Files.createTempDirectory(archive.getParent(), "training-");
        try {
            Path list = work.resolve("classes.list");
            Path log = work.resolve("output.log");
            List<String> train = jvm("-XX:DumpLoadedClassList=" + list);
            train.addAll(List.of(Training.class.getName(), work.toString()));
            ensure(exec(train, ProcessBuilder.Redirect.appendTo(log.toFile()), TRAIN, "the training session"), log,
                    "the training session");
            Path dumped = work.resolve("classes.jsa");
            List<String> dump = jvm("-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + dumped);
            ensure(exec(dump, ProcessBuilder.Redirect.appendTo(log.toFile()), DUMP, "the archive's dump"), log,
                    "the archive's dump");
            Files.move(dumped, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<String> lines = Files.lines(list)) {
                return lines.filter(line -> !line.startsWith("#") && !line.startsWith("@")).count();
            }
        } finally {
            deleteTree(work);
        }
    }

    /**
     * The JVM and the options the unit's own run shares (the collector, the opened modules, native
     * access: JDK 22 and later map an archive dumped without the run's native access only after
     * three error lines of their own, at every start), then {@code options}.
     */
    private List<String> jvm(String... options) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC",
                "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classPath));
        return command;
    }

    /** Runs {@code command} to its end within {@code limit}, its output to {@code output}; its exit status. */
    private static int exec(List<String> command, ProcessBuilder.Redirect output, Duration limit, String what)
            throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                // What it started too (the training agent's commands): killed alone, its children
                // would stay in the unit's cgroup for as long as the agent runs.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(KILLED.toMillis(), TimeUnit.MILLISECONDS);
                throw new IOException(what + " took longer than " + limit.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
    }

    private static void ensure(int status, Path log, String what) throws IOException {
        if (status != 0) {
            List<String> lines = Files.readAllLines(log);
            String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).replaceFirst("^rcon-agent: ", "");
            throw new IOException(what + " failed (exit " + status + "): " + last);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
