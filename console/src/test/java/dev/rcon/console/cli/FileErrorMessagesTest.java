package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
