package dev.rcon.console.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.PtyConsole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The line shell's history (every command typed, passwords on command lines included) is
 * readable by its user alone, in a directory only that user can enter, whatever the umask.
 */
@Timeout(90)
class HistoryFileModeTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void theFirstLineShellMakesAPrivateHistoryFileAndDirectory() throws Exception {
        try (PtyConsole console = PtyConsole.start(agent.dir(), "--host", agent.address(), "--key",
                agent.keyFile().toString(), "-T")) {
            console.await("\\$ ", 0);
            int mark = console.mark();
            console.type("echo typed-secret-$((40+2))\r");
            console.await("typed-secret-42", mark);
            console.type("exit\r");
            console.await("console-status=0 ", mark);
        }
        Path dir = agent.dir().resolve(".local/state/rcon");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("history"))));
    }

    /**
     * A state directory and history an older rcon left 0755 and 0644 (the attack in
     * docs/SECURITY.md): the history was tightened, but the directory stayed 0755.
     */
    @Test
    void aHistoryAndDirectoryLeftOpenByAnOlderRconAreMadePrivate() throws Exception {
        Path dir = Files.createDirectories(agent.dir().resolve(".local/state/rcon"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path history = Files.writeString(dir.resolve("history"), "echo old\n");
        Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-r--r--"));
        try (PtyConsole console = PtyConsole.start(agent.dir(), "--host", agent.address(), "--key",
                agent.keyFile().toString(), "-T")) {
            console.await("\\$ ", 0);
            int mark = console.mark();
            console.type("exit\r");
            console.await("console-status=0 ", mark);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
    }
}
