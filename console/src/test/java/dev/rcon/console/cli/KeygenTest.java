package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.HostPort;
import dev.rcon.agent.net.Agent;
import dev.rcon.agent.net.Log;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class KeygenTest {
    @TempDir
    Path dir;

    /** Its help said it printed "the line to add to each agent's authorized_keys": that is rcon authorize's job. */
    @Test
    void helpSaysWhatKeygenDoes() {
        ConsoleRun help = ConsoleRun.run(dir, "", "keygen", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(!help.out().contains("print the line"), help.out());
        assertTrue(help.out().contains("fleet key") && help.out().contains("rcon authorize HOST"), help.out());
        ConsoleRun top = ConsoleRun.run(dir, "", "--help");
        assertTrue(top.out().lines().anyMatch(l -> l.matches("\\s+keygen\\s+Make a fresh fleet key.*")), top.out());
    }

    @Test
    void keygenWritesAPrivateKeyTheAgentAccepts() throws Exception {
        ConsoleRun r = ConsoleRun.run(dir, "", "keygen", "--name", "ops@test");
        assertEquals(0, r.status(), r.err());
        Path key = dir.resolve(".config/rcon/key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(r.out().lines().noneMatch(l -> l.contains("rcon1 ")), "the fleet key itself is never printed: " + r.out());
        assertTrue(r.out().contains("rcon authorize"), r.out());
        String line = ConsoleRun.run(dir, "", "authorize", "127.0.0.1").out().strip();
        assertTrue(line.startsWith("rcon1 ") && line.endsWith(" ops@test"), line);

        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, line + "\n");
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        AgentConfig config = AgentConfig.defaults(List.of(new HostPort("127.0.0.1", 0)), authorized)
                .withAuditFile(dir.resolve("audit.jsonl"));
        try (Agent agent = new Agent(config, AuthorizedKeys.load(authorized),
                new Log(new PrintStream(new ByteArrayOutputStream())), new PrintStream(new ByteArrayOutputStream()))) {
            int port = agent.start().get(0).getPort();
            ConsoleRun run = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + port, "echo", "accepted");
            assertEquals("accepted\n", run.out(), run.err());
        }
    }

    @Test
    void keygenRefusesToOverwriteWithoutForce() {
        Path file = dir.resolve("k");
        assertEquals(0, ConsoleRun.run(dir, "", "keygen", "-o", file.toString()).status());
        ConsoleRun again = ConsoleRun.run(dir, "", "keygen", "-o", file.toString());
        assertEquals(255, again.status());
        assertEquals("rcon: " + file + ": already exists; use --force to replace it\n", again.err());
        assertEquals(0, ConsoleRun.run(dir, "", "keygen", "-o", file.toString(), "--force").status());
    }

    /** The error named the file relative to its directory: "xxx...: File name too long", "x: no such file". */
    @Test
    void aKeyFileThatCannotBeMadeIsNamedInFull() {
        Path file = dir.resolve("x".repeat(300));
        ConsoleRun r = ConsoleRun.run(dir, "", "keygen", "-o", file.toString());
        assertEquals(255, r.status());
        assertEquals("rcon: " + file + ": cannot create it: File name too long\n", r.err());
    }
}
