package dev.rcon.agent.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code user=}: commands of that key run as that user, with nothing of root's left. */
@Timeout(30)
class RunAsUserTest {
    @TempDir
    Path dir;

    private TestAgent agentWith(String options) throws Exception {
        return TestAgent.start(dir).withOptions(options);
    }

    @Test
    void commandsRunWithTheUsersUidGroupsAndHome() throws Exception {
        TestKeys.assumeRoot();
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            assertEquals("nobody", client.hello().user(), "RCON1.md 3: hello names the run-as user");
            TestClient.Run run = client.run(new Exec(1, "id -u; id -g; id -G; echo \"$HOME $USER $LOGNAME\"; pwd", null,
                    null, Map.of("HOME", "/root", "USER", "root"), null, null));
            String home = Files.isDirectory(Path.of("/nonexistent")) ? "/nonexistent" : "/";
            assertEquals("65534\n65534\n65534\n/nonexistent nobody nobody\n" + home + "\n", new String(run.stdout(), UTF_8));
            assertEquals(0, run.exit().code());
        }
    }

    @Test
    void aUserKeyCannotReadWhatOnlyRootMay() throws Exception {
        TestKeys.assumeRoot();
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root only\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            TestClient.Run run = client.run(Exec.shell(1, "cat " + secret));
            assertNotEquals(0, run.exit().code());
            assertEquals("", new String(run.stdout(), UTF_8));
            TestClient.Run onTerminal = client.run(new Exec(2, "id -u", null, null, null, null, null,
                    new Pty("xterm", 80, 24)));
            assertEquals("65534", new String(onTerminal.stdout(), UTF_8).strip());
        }
    }

    /**
     * Attack: a user's key sends LD_PRELOAD (a library it wrote as the user) or LD_LIBRARY_PATH;
     * the loader of every program of the agent's before the drop, all root, would honour it.
     * LD_DEBUG shows whose loaders saw the request's variables: the command's own only.
     */
    @Test
    void nothingOfTheRequestsEnvironmentReachesAProgramThatRunsAsRoot() throws Exception {
        TestKeys.assumeRoot();
        Map<String, String> debug = Map.of("LD_DEBUG", "libs");
        Pty pty = new Pty("xterm", 80, 24);
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            for (Exec probe : List.of(new Exec(1, "id -un", null, "/", debug, null, null),
                    new Exec(2, null, List.of("/usr/bin/id", "-un"), "/", debug, null, null),
                    new Exec(3, "id -un", null, "/", debug, null, null, pty),
                    new Exec(4, null, List.of("/usr/bin/id", "-un"), "/", debug, null, null, pty))) {
                TestClient.Run run = client.run(probe);
                String all = new String(run.stdout(), UTF_8) + new String(run.stderr(), UTF_8);
                List<String> loaded = all.lines().filter(l -> l.contains("initialize program: "))
                        .map(l -> l.substring(l.indexOf("initialize program: ") + 20).strip()).toList();
                assertEquals(probe.command() != null ? List.of("/bin/sh", "id") : List.of("/usr/bin/id"), loaded,
                        probe + ":\n" + all);
                assertTrue(all.lines().anyMatch("nobody"::equals), all);
            }
        }
    }

    /**
     * Attack: where /bin/sh is bash, which imports functions from the environment even as sh and
     * as root, a user's key sends {@code echo} and {@code printf} as functions, to run as root in
     * the agent's join or attach shell (or to print the join's marker without joining).
     */
    @Test
    void whereShIsBashAUsersKeyCannotPutFunctionsIntoTheAgentsRootShells() throws Exception {
        TestKeys.assumeRoot();
        org.junit.jupiter.api.Assumptions.assumeTrue(AgentProcess.canMountPrivately() && Files.exists(Path.of("/bin/bash")),
                "needs a mount namespace of its own and bash");
        Key key = TestKeys.fresh("bash");
        Path keys = dir.resolve("authorized_keys");
        Files.writeString(keys, "user=nobody " + KeyLine.format(key) + "\n");
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path witness = dir.resolve("ran-as-root");
        String function = "() { id -u >" + witness + "; builtin echo \"$@\"; }";
        Map<String, String> env = Map.of("BASH_FUNC_echo%%", function, "BASH_FUNC_printf%%", function);
        Pty pty = new Pty("xterm", 80, 24);
        try (AgentProcess agent = AgentProcess.startWithBashAsSh(keys, dir.resolve("agent.log"));
             TestClient client = TestClient.connect(agent.port(), key)) {
            for (Exec probe : List.of(new Exec(1, "id -un", null, "/", env, null, null),
                    new Exec(2, null, List.of("/usr/bin/id", "-un"), "/", env, null, null),
                    new Exec(3, null, List.of("/usr/bin/id", "-un"), "/", env, null, null, pty))) {
                TestClient.Run run = client.run(probe);
                assertTrue(new String(run.stdout(), UTF_8).contains("nobody"), probe + ": " + run.events());
                assertFalse(Files.exists(witness), probe + " ran a function of the request's as root");
            }
        }
    }

    /**
     * Attack: a user's key names as its cwd a directory only root may enter, where root's chdir
     * lent it a place to stand (and told it which such directories exist: a missing one was
     * not_found). It enters with its own rights now, as under sshd, and fails as the user.
     */
    @Test
    void aUserKeyCannotStartInADirectoryOnlyRootMayEnter() throws Exception {
        TestKeys.assumeRoot();
        Path vault = Files.createDirectories(dir.resolve("vault"));
        Path readable = Files.writeString(vault.resolve("readable"), "below a closed directory\n");
        Files.setPosixFilePermissions(readable, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(vault, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            for (Exec probe : List.of(new Exec(1, "cat readable", null, vault.toString(), null, null, null),
                    new Exec(2, null, List.of("/bin/cat", "readable"), vault.toString(), null, null, null),
                    new Exec(3, "cat readable", null, vault.toString(), null, null, null, new Pty("xterm", 80, 24)))) {
                TestClient.Run run = client.run(probe);
                String all = new String(run.stdout(), UTF_8) + new String(run.stderr(), UTF_8);
                assertFalse(all.contains("below a closed directory"), probe + ": " + all);
                assertTrue(all.contains("cannot change directory to '" + vault + "': Permission denied"), all);
                assertEquals(125, run.exit().code());
            }
            assertEquals("/tmp\n", new String(client.run(new Exec(4, "pwd", null, "/tmp", null, null, null)).stdout(),
                    UTF_8));
        }
    }

    /**
     * Attack: root looked for a user key's program for it, and so told it which programs exist
     * in directories it may not read (spawn_failed for a missing one, a start for the rest), and
     * picked the first in PATH even where the user could not run it.
     */
    @Test
    void aUserKeyLooksForItsProgramWithItsOwnRights() throws Exception {
        TestKeys.assumeRoot();
        Path vault = Files.createDirectories(dir.resolve("vault"));
        Files.createSymbolicLink(vault.resolve("tool"), Path.of("/bin/true"));
        Files.setPosixFilePermissions(vault, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            TestClient.Run present = client.run(new Exec(1, null, List.of(vault + "/tool"), null, null, null, null));
            TestClient.Run absent = client.run(new Exec(2, null, List.of(vault + "/none"), null, null, null, null));
            assertEquals(126, present.exit().code(), present.events().toString());
            assertEquals(present.exit().code(), absent.exit().code());
            assertEquals(new String(present.stderr(), UTF_8).replace("/tool", "/none"), new String(absent.stderr(), UTF_8));
            TestClient.Run searched = client.run(new Exec(3, null, List.of("true"), null,
                    Map.of("PATH", vault + ":/usr/bin:/bin"), null, null));
            assertEquals(0, searched.exit().code(), "the search goes on past what the user may not enter");
        }
    }

    @Test
    void aUserKeyMayNotMoveFilesSinceTheAgentWritesThemAsRoot() throws Exception {
        TestKeys.assumeRoot();
        try (TestAgent agent = agentWith("user=nobody"); TestClient client = agent.connect()) {
            client.send(new Put(1, dir.resolve("x").toString(), 0L, "0644"));
            assertEquals(new ErrorReply(1, ErrorCode.DENIED, "user=nobody: files move as root, so a key that runs as"
                    + " nobody may not put them"), client.receive());
        }
    }

    @Test
    void anUnknownUserRefusesTheFileNamingTheLine() throws Exception {
        TestKeys.assumeRoot();
        Path file = TestKeys.authorizedKeys(dir);
        Files.writeString(file, "# x\nuser=no-such-user-rcon " + KeyLine.format(TestKeys.fresh("a")) + "\n");
        assertEquals(file + ":2: option 'user=no-such-user-rcon': no such user on this host",
                assertThrows(IllegalArgumentException.class, () -> AuthorizedKeys.load(file)).getMessage());
    }

    /** The group list the drop uses, read whole and checked, since a wrong gid is a wrong right. */
    @Test
    void aGroupListThatIsNotWholeOrNotNumbersRefusesTheUser() {
        assertEquals(List.of(65534, 100), Accounts.groups("u", "65534 100", 65534));
        assertEquals("option 'user=u': a group id in 'id -G' '4294967295' is not an id from 0 to 2147483647",
                assertThrows(IllegalArgumentException.class, () -> Accounts.groups("u", "65534 4294967295", 65534))
                        .getMessage());
        assertEquals("option 'user=u': a group id in 'id -G' '' is not an id from 0 to 2147483647",
                assertThrows(IllegalArgumentException.class, () -> Accounts.groups("u", "65534  100", 65534))
                        .getMessage());
        assertEquals("option 'user=u': 'id -G' does not list the passwd gid 65534",
                assertThrows(IllegalArgumentException.class, () -> Accounts.groups("u", "100 6", 65534)).getMessage());
    }

    @Test
    void anAgentThatIsNotRootRefusesUserAtLoadTime() {
        String line = "user=nobody " + KeyLine.format(TestKeys.fresh("a"));
        assertEquals("f:1: option 'user=nobody' needs an agent running as root, and this one is not (run the default"
                + " unit, not restricted.conf, for user= keys)", assertThrows(IllegalArgumentException.class,
                () -> AuthorizedKeys.parse("f", List.of(line), new Accounts(false))).getMessage());
    }
}
