package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A local file or value the console cannot use is named in one line that says what is wrong with it. */
@Timeout(60)
class FileErrorMessagesTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun rcon(String... args) {
        return ConsoleRun.run(agent.dir(), "", args);
    }

    @Test
    void anOutdirThatIsARegularFileSaysSo() throws Exception {
        Path file = Files.writeString(agent.dir().resolve("plain"), "x");
        ConsoleRun run = rcon("--key", agent.keyFile().toString(), "-H", agent.address(), "--outdir", file.toString(),
                "--", "true");
        assertEquals(255, run.status());
        assertEquals("rcon: " + file + ": already exists, and not as a directory\n", run.err());
    }

    @Test
    void aGetIntoAMissingDirectorySaysNoSuchDirectory() throws Exception {
        Path remote = Files.writeString(agent.dir().resolve("r.txt"), "x");
        Path missing = agent.dir().resolve("no/such/dir/");
        ConsoleRun run = rcon("--key", agent.keyFile().toString(), "get", "--host", agent.address(), remote.toString(),
                missing + "/");
        assertEquals(255, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertEquals(true, run.err().contains(": no such file or directory"), run.err());
    }

    /**
     * The staging directory beside the target is the console's own, named .NAME.rcon-UUID.tmp: a
     * directory where it cannot be made (sysfs refuses even root) is named instead.
     */
    @Test
    void aGetIntoADirectoryThatTakesNoNewFileNamesThatDirectoryNotItsStagingName() throws Exception {
        Path remote = Files.writeString(agent.dir().resolve("r.txt"), "x");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/kernel")), "needs sysfs");
        ConsoleRun run = rcon("--key", agent.keyFile().toString(), "get", "--host", agent.address(), remote.toString(),
                "/sys/kernel/r.txt");
        assertEquals(255, run.status());
        assertEquals("rcon: /sys/kernel: Operation not permitted\n", run.err());
    }

    @Test
    void anInventoryThatIsADirectoryIsNamed() throws Exception {
        Path dir = Files.createDirectory(agent.dir().resolve("inv"));
        ConsoleRun run = rcon("--inventory", dir.toString(), "hosts", "web1");
        assertEquals(255, run.status());
        assertEquals("rcon: " + dir + ": cannot read the inventory: Is a directory\n", run.err());
    }

    @Test
    void aBadDurationSaysWhatIsWrongWithoutAJavaExceptionName() {
        ConsoleRun run = rcon("--host", agent.address(), "--timeout", "5x", "--", "true");
        assertEquals(255, run.status());
        assertEquals("rcon: Invalid value for option '--timeout': '5x' is not a duration like 500ms, 30s, 5m or 2h"
                + " (see rcon --help)\n", run.err());
    }

    /** A subcommand's mistake points at that subcommand's help, where its options are. */
    @Test
    void aSubcommandsMistakePointsAtItsOwnHelp() {
        ConsoleRun run = rcon("ping", "--tries", "many", "web1");
        assertEquals(255, run.status());
        assertEquals("rcon: Invalid value for option '--tries': 'many' is not an int (see rcon ping --help)\n", run.err());
        ConsoleRun put = rcon("put", "--bogus", "a", "/b");
        assertEquals(255, put.status());
        assertTrue(put.err().endsWith(" (see rcon put --help)\n"), put.err());
    }

    /** -H ^/dev/zero read until the heap ran out: an OutOfMemoryError's stack trace, exit 1. */
    @Test
    void aHostFileWithoutEndIsRefusedInOneLine() {
        ConsoleRun run = rcon("hosts", "^/dev/zero");
        assertEquals(255, run.status());
        assertEquals("rcon: ^/dev/zero: cannot read it: larger than 32 MiB: no list of hosts is\n", run.err());
        ConsoleRun inventory = rcon("--inventory", "/dev/zero", "hosts", "web1");
        assertEquals(255, inventory.status());
        assertEquals("rcon: /dev/zero: cannot read the inventory: larger than 32 MiB: no list of hosts is\n",
                inventory.err());
    }

    /** The JDK's words were "Input length = 1". */
    @Test
    void aHostFileThatIsNotTextSaysSo() throws Exception {
        Path file = Files.write(agent.dir().resolve("list"), new byte[] {'a', (byte) 0xff, '\n'});
        ConsoleRun run = rcon("hosts", "^" + file);
        assertEquals(255, run.status());
        assertEquals("rcon: ^" + file + ": cannot read it: not UTF-8 text\n", run.err());
    }

    /**
     * A directory where no file can be made: the first host's output killed the session's reader
     * thread with a stack trace, and the run waited for that host forever. Now nothing runs.
     */
    @Test
    void anOutdirWhereNoFileCanBeMadeIsRefusedBeforeAnythingRuns() throws Exception {
        Path dir = Path.of("/proc");
        if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
            dir = Files.createDirectory(agent.dir().resolve("readonly"));
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        }
        Path ran = agent.dir().resolve("ran");
        ConsoleRun run = rcon("--key", agent.keyFile().toString(), "-H", agent.address(), "--outdir", dir.toString(),
                "--", "touch " + ran);
        assertEquals(255, run.status());
        assertTrue(run.err().startsWith("rcon: --outdir " + dir + ": cannot make files in it: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertEquals(false, Files.exists(ran), "the command ran");
    }

    @Test
    void anEmptyOutdirIsRefusedBeforeAnythingRuns() throws Exception {
        Path ran = agent.dir().resolve("ran");
        ConsoleRun run = rcon("--key", agent.keyFile().toString(), "-H", agent.address(), "--outdir=", "--", "touch " + ran);
        assertEquals(255, run.status());
        assertEquals("rcon: --outdir is empty: name a directory (. for the current one)\n", run.err());
        assertEquals(false, Files.exists(ran), "the command ran");
    }

    /** One host's file that cannot be made (a directory has its name) ends the run in one line, never a hang. */
    @Test
    void anOutdirFileThatCannotBeMadeEndsTheRunInOneLine() throws Exception {
        Path out = Files.createDirectory(agent.dir().resolve("out"));
        Files.createDirectories(out.resolve(agent.address() + ".out").resolve("x"));
        ConsoleRun run = rcon("--key", agent.keyFile().toString(), "-H", agent.address(), "--outdir", out.toString(),
                "--", "echo hi");
        assertEquals(255, run.status());
        assertTrue(run.err().endsWith("rcon: --outdir: cannot write " + out.resolve(agent.address() + ".out")
                + ": a directory is in the way\n"), run.err());
        assertEquals(false, run.err().contains("Exception"), run.err());
    }

    /**
     * A --env too long for a request was found on each host in turn, after connecting: one error
     * per host in the wire's words ("header of N bytes exceeds the limit of 16384"), exit 2.
     */
    @Test
    void aRequestNoAgentCouldTakeIsRefusedBeforeAnyHostIsCalled() {
        String big = "A=" + "x".repeat(20_000);
        ConsoleRun fleet = rcon("--key", agent.keyFile().toString(), "-H", agent.address() + ",127.0.0.1:1", "--env", big,
                "--", "true");
        assertEquals(255, fleet.status());
        assertEquals("rcon: the command, --cwd and --env are too long: a request holds at most 16384 bytes and this"
                + " one needs 20063\n", fleet.err());
        ConsoleRun badName = rcon("--key", agent.keyFile().toString(), "-H", agent.address(), "--env", "=x", "--", "true");
        assertEquals(255, badName.status());
        assertEquals("rcon: env name '' is not a valid variable\n", badName.err());
    }
}
