package dev.rcon.agent.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rcon.agent.AgentMain;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.Exec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rcon-agent add-key}: how a host installed from the package is enrolled. */
@Timeout(30)
class AddKeyCommandTest {
    @TempDir
    Path dir;

    @Test
    void aLineIsAddedOnceAndLogsInAfterAReload() throws Exception {
        Key console = TestKeys.fresh("ops");
        try (TestAgent agent = TestAgent.start(dir)) {
            String file = agent.authorizedKeys().toString();
            String line = "from=\"127.0.0.0/8\" " + KeyLine.format(console);
            assertEquals(0, addKey(file, line));
            assertEquals(0, addKey(file, "\n" + line), "a second time changes nothing");
            assertEquals(1, Files.readAllLines(agent.authorizedKeys()).stream().filter(l -> l.equals(line)).count());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.authorizedKeys())));
            agent.agent().reloadKeys();
            try (TestClient client = TestClient.connect(agent.port(), console)) {
                assertEquals(0, client.run(Exec.shell(1, "true")).exit().code());
            }
        }
    }

    @Test
    void aBadLineOrAnUnsafeFileChangesNothing() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            byte[] before = Files.readAllBytes(agent.authorizedKeys());
            String file = agent.authorizedKeys().toString();
            assertEquals(2, addKey(file, "rcon1 nothex x y"));
            assertEquals(2, addKey(file, "permit-all " + KeyLine.format(TestKeys.fresh("a"))));
            Files.setPosixFilePermissions(agent.authorizedKeys(), PosixFilePermissions.fromString("rw-r--r--"));
            assertEquals(2, addKey(file, KeyLine.format(TestKeys.fresh("b"))));
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(agent.authorizedKeys())));
        }
    }

    @Test
    void aLineGivenAsAnArgumentIsRefusedSinceEveryLocalUserCanReadArguments() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            byte[] before = Files.readAllBytes(agent.authorizedKeys());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int status;
            // picocli prints a command's failure on System.err; the test only reads it back.
            System.setErr(new PrintStream(err, true, UTF_8));
            try {
                status = AgentMain.run(InputStream.nullInputStream(), "add-key", "--authorized-keys",
                        agent.authorizedKeys().toString(), KeyLine.format(TestKeys.fresh("ops")));
            } finally {
                System.setErr(saved);
            }
            assertEquals(2, status);
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(agent.authorizedKeys())), "the file changed");
            String said = err.toString(UTF_8);
            assertTrue(said.contains("/proc/PID/cmdline") && said.contains("add-key -"), said);
            assertEquals(1, said.lines().count(), said);
        }
    }

    /**
     * {@code rcon authorize 'web[01-02]' | ssh web02 sudo rcon-agent add-key -}: add-key took the
     * first line and said "added", so web02 held web01's key (root on web02 could then log in to
     * web01, and pass for it) and was still not enrolled for its own label.
     */
    @Test
    void stdinWithTheLinesOfSeveralHostsIsRefusedAndNothingIsAdded() throws Exception {
        try (TestAgent agent = TestAgent.start(dir)) {
            byte[] before = Files.readAllBytes(agent.authorizedKeys());
            Key fleet = TestKeys.fresh("ops");
            String lines = KeyLine.format(TestKeys.forHost(fleet, "web01")) + "\n"
                    + KeyLine.format(TestKeys.forHost(fleet, "web02"));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int status;
            System.setErr(new PrintStream(err, true, UTF_8));
            try {
                status = addKey(agent.authorizedKeys().toString(), lines);
            } finally {
                System.setErr(saved);
            }
            assertEquals(2, status);
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(agent.authorizedKeys())), "the file changed");
            assertTrue(err.toString(UTF_8).contains("stdin holds more than one key line"), err.toString(UTF_8));
            assertEquals(0, addKey(agent.authorizedKeys().toString(), "# web01\n" + KeyLine.format(
                    TestKeys.forHost(fleet, "web01"))), "a comment beside the one line is fine");
        }
    }

    /**
     * An agent run by hand (README) names a keys file of its own; the first add-key made nothing
     * and said "no such file". It makes the file empty and 0600, as install.sh does.
     */
    @Test
    void aMissingFileIsMadePrivateForTheFirstKey() throws Exception {
        Path keysDir = Files.createDirectory(dir.resolve("rcon"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = keysDir.resolve("authorized_keys");
        String line = KeyLine.format(TestKeys.fresh("ops"));
        assertEquals(0, addKey(file.toString(), line));
        assertEquals(java.util.List.of(line), Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(0, addKey(file.toString(), line), "a second time changes nothing");

        Path nowhere = dir.resolve("nodir").resolve("authorized_keys");
        assertEquals(2, addKey(nowhere.toString(), line), "a missing directory is not made");
        assertTrue(Files.notExists(nowhere.getParent()));
        Path bad = keysDir.resolve("bad");
        assertEquals(2, addKey(bad.toString(), "rcon1 nothex x y"));
        assertTrue(Files.notExists(bad), "a bad line makes no file");
    }

    /** {@code rcon-agent add-key -} with {@code line} on stdin, as the README pipes it. */
    private static int addKey(String file, String line) {
        return AgentMain.run(new ByteArrayInputStream((line + "\n").getBytes(UTF_8)), "add-key", "--authorized-keys",
                file, "-");
    }
}
