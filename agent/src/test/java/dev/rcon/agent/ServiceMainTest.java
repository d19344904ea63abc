package dev.rcon.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The unit's entry, {@code ServiceMain CONFIG [AUTHORIZED_KEYS]}, in real agent processes. */
@Timeout(60)
class ServiceMainTest {
    @TempDir
    Path dir;

    private Path config(Path keys) throws Exception {
        return AgentProcess.serviceConfig(dir, keys);
    }

    /** Runs the entry in-process, for the mistakes that stop it before it serves: {exit code, stderr}. */
    private static String[] run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServiceMain.run(new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theServiceServesItsConfigFileAndNeverLoadsPicocli() throws Exception {
        Key key = TestKeys.fresh("k");
        Path classes = dir.resolve("classes.log");
        try (AgentProcess agent = AgentProcess.startService(List.of(config(TestKeys.authorizedKeys(dir, key)).toString()),
                dir.resolve("agent.log"), "-Xlog:class+load=info:file=" + classes)) {
            try (TestClient client = TestClient.connect(agent.port(), key)) {
                TestClient.Run run = client.run(Exec.shell(1, "echo served"));
                assertEquals("served\n", new String(run.stdout(), StandardCharsets.UTF_8));
                assertEquals(0, run.exit().code());
            }
            agent.signal("TERM");
            assertTrue(agent.process().waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, agent.process().exitValue());
        }
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("dev.rcon.agent.net.Session "), "the class-load log holds the session's classes");
        assertFalse(loaded.contains(" picocli."), "the service loaded picocli");
    }

    /** The restricted drop-in gives the agent its own copy of the keys as the second argument. */
    @Test
    void aSecondArgumentReplacesTheAuthorizedKeysOfTheConfigFile() throws Exception {
        Key inConfig = TestKeys.fresh("in-config");
        Key given = TestKeys.fresh("given");
        Path configured = TestKeys.authorizedKeys(dir, inConfig);
        Path copy = TestKeys.authorizedKeys(Files.createDirectory(dir.resolve("copy")), given);
        try (AgentProcess agent = AgentProcess.startService(List.of(config(configured).toString(), copy.toString()),
                dir.resolve("agent.log"))) {
            try (TestClient client = TestClient.connect(agent.port(), given)) {
                assertEquals(0, client.run(Exec.shell(1, "true")).exit().code());
            }
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> TestClient.connect(agent.port(), inConfig));
            assertEquals("denied: the agent does not accept key 'in-config'", e.getMessage());
        }
    }

    @Test
    void argumentsOtherThanAConfigAndAKeysFileAreOneLineAndExitTwo() {
        String expected = "rcon-agent: expected CONFIG [AUTHORIZED_KEYS] (as the unit gives: /etc/rcon/agent.json)"
                + " but got ";
        String options = "; options are rcon-agent's (rcon-agent --help)\n";
        assertEquals(List.of("2", expected + "0 arguments" + options), List.of(run()));
        assertEquals(List.of("2", expected + "3 arguments" + options), List.of(run("a", "b", "c")));
        assertEquals(List.of("2", expected + "the option '--config'" + options), List.of(run("--config", "x")));
        assertEquals(List.of("2", expected + "the option '-x\\u000A'" + options), List.of(run("c", "-x\n")));
    }

    @Test
    void aConfigFileThatCannotBeServedIsNamedInOneLineAndExitTwo() throws Exception {
        Path missing = dir.resolve("missing.json");
        assertEquals(List.of("2", "rcon-agent: " + missing + ": no such file\n"), List.of(run(missing.toString())));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"listen\": [\"127.0.0.1:99999\"]}");
        assertEquals(List.of("2", "rcon-agent: " + bad + ": listen port must be 0 to 65535 but was 99999\n"),
                List.of(run(bad.toString())));
        assertEquals("2", run(dir.resolve("agent.json").toString(), "nul\0byte")[0]);
    }
}
