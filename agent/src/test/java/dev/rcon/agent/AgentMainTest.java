package dev.rcon.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AgentMainTest {
    @TempDir
    Path dir;

    /** Runs main in-process for errors that stop the agent before it serves. */
    private String[] run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = AgentMain.run(args);
            return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8).strip()};
        } finally {
            System.setErr(oldErr);
        }
    }

    /** From a class path without the jar's Add-Opens: one line naming the fix, exit 1, never listening. */
    @Test
    void anAgentThatCannotTakeItsCommandsPipesSaysHowToRunItAndExitsOne() throws Exception {
        Path keys = TestKeys.authorizedKeys(dir, TestKeys.fresh("k"));
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.rcon.agent.AgentMain", "--listen", "127.0.0.1:0",
                "--authorized-keys", keys.toString(), "--audit-file", dir.resolve("audit.jsonl").toString()).start();
        agent.getOutputStream().close();
        String err = new String(agent.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("", new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, agent.exitValue());
        assertEquals("rcon-agent: the agent needs java.io open to it to own its commands' pipes: run its jar (its"
                + " manifest has Add-Opens), or add --add-opens java.base/java.io=ALL-UNNAMED\n", err);
    }

    @Test
    void aBadListenAddressIsOneLineAndExitTwo() {
        String[] r = run("--listen", "127.0.0.1:99999", "--authorized-keys", dir.resolve("k").toString());
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: listen port must be 0 to 65535 but was 99999", r[1]);
    }

    @Test
    void aMissingKeysFileIsOneLineAndExitTwo() {
        Path k = dir.resolve("k");
        String[] r = run("--listen", "127.0.0.1:0", "--authorized-keys", k.toString());
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: " + k + ": no such file", r[1]);
    }

    @Test
    void aBadOptionValueNamesTheOptionNotTheJsonKey() {
        String[] r = run("--listen", "127.0.0.1:0", "--authorized-keys", dir.resolve("k").toString(),
                "--handshake-timeout", "5");
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: --handshake-timeout must be 100 to 300000 but was 5", r[1]);
    }

    @Test
    void aBadConfigFileIsNamedOnceWithItsJsonKey() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.json"), "{\"handshake_timeout_ms\": 5}");
        String[] r = run("--config", config.toString());
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: " + config + ": handshake_timeout_ms must be 100 to 300000 but was 5", r[1]);
    }

    @Test
    void aConfigValueWithANewlineOrABidiOverrideStaysOneEscapedLine() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.json"), "{\"listen\": [\"a\\nb\\u202e:x\"]}");
        String[] r = run("--config", config.toString());
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: " + config + ": listen address 'a\\u000Ab\\u202E:x' has a port that is not a number", r[1]);
    }

    @Test
    void theCommandLineOverridesTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.json"),
                "{\"listen\": [\"127.0.0.1:0\"], \"authorized_keys\": \"/nonexistent/file-keys\"}");
        Path k = dir.resolve("cli-keys");
        String[] r = run("--config", config.toString(), "--authorized-keys", k.toString());
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: " + k + ": no such file", r[1]);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        String[] r = run("--lsten", "x");
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: Unknown options: '--lsten', 'x' (see rcon-agent --help)", r[1]);
    }

    @Test
    void theRealAgentPrintsListeningFirstServesAndStopsCleanlyOnTerm() throws Exception {
        Key key = TestKeys.fresh("main");
        Path log = dir.resolve("agent.log");
        AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), log);
        try (TestClient client = TestClient.connect(agent.port(), key)) {
            TestClient.Run run = client.run(Exec.shell(1, "true"));
            assertEquals(0, run.exit() == null ? -1 : run.exit().code(), () -> run.events().toString());
        }
        agent.process().destroy();
        assertTrue(agent.process().waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, agent.process().exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("<6>stopping on signal"), Files.readString(log));
    }

    /** Runs main in-process with {@code --check-keys}: status, stdout, stderr. */
    private String[] check(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            String[] r = run(args);
            return new String[] {r[0], out.toString(StandardCharsets.UTF_8), r[1]};
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    void checkKeysPrintsOneLineAndExitsZeroWhenTheKeysLoad() throws Exception {
        Path keys = TestKeys.authorizedKeys(dir, TestKeys.fresh("a"), TestKeys.fresh("b"));
        String[] r = check("--check-keys", keys.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals(keys + ": ok, 2 keys\n", r[1]);
        assertEquals("", r[2]);
    }

    @Test
    void checkKeysWithoutAFileChecksTheOneTheAgentWouldRead() throws Exception {
        Path keys = TestKeys.authorizedKeys(dir, TestKeys.fresh("a"));
        Path config = Files.writeString(dir.resolve("agent.json"), "{\"authorized_keys\": \"" + keys + "\"}");
        String[] r = check("--config", config.toString(), "--check-keys");
        assertEquals("0", r[0], r[2]);
        assertEquals(keys + ": ok, 1 keys\n", r[1]);
    }

    @Test
    void checkKeysPrintsWhyAndExitsOneWhenTheAgentWouldRefuseTheKeys() throws Exception {
        Path keys = TestKeys.authorizedKeys(dir, TestKeys.fresh("a"));
        TestKeys.chmod(keys, "0644");
        String[] r = check("--check-keys", keys.toString());
        assertEquals("1", r[0]);
        assertEquals("", r[1]);
        assertEquals("rcon-agent: " + keys + ": refusing a key file that group or others can read or write"
                + " (mode rw-r--r--); fix it with: chmod 600 " + keys, r[2]);
    }

    @Test
    void anAgentRefusesToStartWithKeysOwnedByAnotherUser() throws Exception {
        TestKeys.assumeRoot();
        Path keys = TestKeys.authorizedKeys(dir, TestKeys.fresh("a"));
        TestKeys.chown(keys, TestKeys.NOBODY);
        String[] r = run("--listen", "127.0.0.1:0", "--authorized-keys", keys.toString());
        assertEquals("2", r[0]);
        assertEquals("rcon-agent: " + keys + ": refusing a key file owned by uid 65534, who could change it; it must"
                + " belong to root (the user reading it); fix it with: chown root " + keys, r[1]);
    }
}
