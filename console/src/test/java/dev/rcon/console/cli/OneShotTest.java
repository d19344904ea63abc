package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class OneShotTest {
    @RegisterExtension
    final AgentExtension extension = new AgentExtension();
    TestAgent agent;
    Path dir;
    Path key;

    @BeforeEach
    void start() {
        agent = extension.get();
        dir = extension.dir();
        key = extension.keyFile();
    }

    private ConsoleRun rcon(String stdin, String... command) {
        String[] args = new String[command.length + 4];
        args[0] = "--host";
        args[1] = "127.0.0.1:" + agent.port();
        args[2] = "--key";
        args[3] = key.toString();
        System.arraycopy(command, 0, args, 4, command.length);
        return ConsoleRun.run(dir, stdin, args);
    }

    @Test
    void successPrintsOutputAndExitsZero() {
        ConsoleRun r = rcon("", "--", "echo", "hello;", "echo", "oops", ">&2");
        assertEquals(0, r.status());
        assertEquals("hello\n", r.out());
        assertEquals("oops\n", r.err());
    }

    @Test
    void failureExitsWithTheRemoteCode() {
        assertEquals(3, rcon("", "exit 3").status());
        assertEquals(255, rcon("", "exit 255").status());
    }

    @Test
    void aSignalExitsWith128PlusItsNumber() {
        assertEquals(137, rcon("", "kill -KILL $$").status());
    }

    @Test
    void optionsAfterTheCommandBelongToTheCommand() {
        ConsoleRun r = rcon("", "echo", "x", "-n", "--host");
        assertEquals("x -n --host\n", r.out());
    }

    @Test
    void stdinIsForwardedWhenItIsNotATerminal() {
        assertEquals("2", rcon("a\nb\n", "--", "wc", "-l").out().strip());
    }

    @Test
    void anAtWordIsPassedOnAsItIsNeverReadAsALocalArgumentFile() throws Exception {
        Path local = Files.writeString(dir.resolve("body.json"), "secret words");
        ConsoleRun r = rcon("", "--", "echo", "@" + local);
        assertEquals(0, r.status(), r.err());
        assertEquals("@" + local + "\n", r.out());
    }

    /**
     * The other half of docs/SECURITY.md's line: picocli read "-H @failed" from a file named
     * failed when one was in the current directory. An absolute path shows it without touching
     * the current directory: the word is a group name, never a file's words.
     */
    @Test
    void aHostListAtWordIsAGroupNameNeverALocalArgumentFile() throws Exception {
        Path hosts = Files.writeString(dir.resolve("failed"), "127.0.0.1:" + agent.port() + "\n");
        ConsoleRun r = ConsoleRun.run(dir, "", "hosts", "-H", "@" + hosts);
        assertEquals(255, r.status(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("rcon: unknown group '@" + hosts + "'"), r.err());
    }

    @Test
    void dashNKeepsStdinLocal() {
        assertEquals("0", rcon("a\nb\n", "-n", "--", "wc", "-l").out().strip());
    }

    @Test
    void cwdAndEnvMapOntoTheRequest() {
        ConsoleRun r = rcon("", "--cwd", "/tmp", "--env", "A=1", "--env", "B=two words", "--", "pwd; echo $A $B");
        assertEquals("/tmp\n1 two words\n", r.out());
    }

    @Test
    void timeoutEndsTheCommandAndSaysSo() {
        ConsoleRun r = rcon("", "--timeout", "300ms", "--", "sleep", "30");
        assertEquals(143, r.status());
        assertEquals("rcon: 127.0.0.1:" + agent.port() + ": command timed out after 300ms and was ended by TERM\n", r.err());
    }

    @Test
    void aRefusedPortIs255WithOneLine() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        ConsoleRun r = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + dead, "--key", key.toString(), "true");
        assertEquals(255, r.status());
        assertEquals("rcon: 127.0.0.1:" + dead + ": connection refused\n", r.err());
    }

    @Test
    void aWrongKeyIs255WithOneLine() throws Exception {
        dev.rcon.common.auth.Key intruder = TestKeys.fresh("intruder");
        Path wrong = TestKeys.keyFile(dir, intruder);
        ConsoleRun r = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + agent.port(), "--key", wrong.toString(), "true");
        assertEquals(255, r.status());
        assertEquals("rcon: 127.0.0.1:" + agent.port() + ": denied: the agent does not accept key 'intruder' (label 127.0.0.1, kid "
                + TestKeys.forHost(intruder, "127.0.0.1").kidHex() + "); enroll the host with the line of: rcon authorize"
                + " 127.0.0.1\n", r.err());
    }

    @Test
    void anUnknownHostIs255WithOneLine() {
        ConsoleRun r = ConsoleRun.run(dir, "", "--host", "no-such-host.invalid", "--key", key.toString(), "true");
        assertEquals(255, r.status());
        assertEquals("rcon: no-such-host.invalid: unknown host\n", r.err());
    }

    @Test
    void aKeyOthersCanReadIsRefusedWithTheFix() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        ConsoleRun r = rcon("", "true");
        assertEquals(255, r.status());
        assertTrue(r.err().contains("fix it with: chmod 600 " + key), r.err());
    }

    @Test
    void theKeyComesFromRconKeyFileWhenNoOptionNamesOne() {
        ConsoleRun r = ConsoleRun.run(dir, new ByteArrayInputStream(new byte[0]), Map.of("RCON_KEY_FILE", key.toString()),
                "--host", "127.0.0.1:" + agent.port(), "echo", "via-env");
        assertEquals("via-env\n", r.out());
    }

    /** Inside an rcon command (on a bastion, say) RCON_KEY is the name of the key that logged in. */
    @Test
    void theKeyNameACommandSeesInRconKeyIsNotTakenForAKeyFile() {
        ConsoleRun r = ConsoleRun.run(dir, new ByteArrayInputStream(new byte[0]), Map.of("RCON_KEY", "alice"),
                "--host", "127.0.0.1:" + agent.port(), "true");
        assertEquals(255, r.status());
        assertFalse(r.err().contains("alice"), r.err());
    }

    @Test
    void aMissingKeySaysHowToMakeOne() {
        ConsoleRun r = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + agent.port(), "true");
        assertEquals(255, r.status());
        assertEquals("rcon: no key file at " + dir.resolve(".config/rcon/key") + " (make one with: rcon keygen)\n", r.err());
    }

    @Test
    void badUsageIsOneLineAnd255() {
        ConsoleRun r = ConsoleRun.run(dir, "", "--timeout", "soon", "--host", "h", "true");
        assertEquals(255, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("'soon' is not a duration like 500ms, 30s, 5m or 2h"), r.err());
        assertEquals("rcon: missing --host HOST (or -H LIST) (see rcon --help)\n", ConsoleRun.run(dir, "", "true").err());
    }

    @Test
    void anAgentThatFailsItsProofIs255WithOneLine() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var random = new java.security.SecureRandom();
            var fake = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = impostor.accept()) {
                    var out = new java.io.DataOutputStream(s.getOutputStream());
                    byte[] nonce = new byte[32];
                    random.nextBytes(nonce);
                    out.writeInt(38);
                    out.write(new byte[] {'R', 'C', 'O', 'N', 1, 1});
                    out.write(nonce);
                    s.getInputStream().readNBytes(4 + 117);
                    byte[] m2 = new byte[64];
                    random.nextBytes(m2);
                    out.writeInt(64);
                    out.write(m2);
                    s.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            ConsoleRun r = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + impostor.getLocalPort(), "--key", key.toString(), "true");
            assertEquals(255, r.status());
            assertEquals("rcon: 127.0.0.1:" + impostor.getLocalPort() + ": the agent failed its proof: it does not hold key"
                    + " 'tester' (an impostor, or a relay) for label 127.0.0.1\n", r.err());
            fake.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void aClosedLocalStdoutEndsTheRemoteCommandAndExits141() throws Exception {
        java.io.OutputStream closedAfterFirstWrite = new java.io.OutputStream() {
            private boolean written;

            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (written) {
                    throw new java.io.IOException("Broken pipe");
                }
                written = true;
            }
        };
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ConsoleIO io = new ConsoleIO(new java.io.ByteArrayInputStream(new byte[0]), closedAfterFirstWrite, err, false, false,
                java.util.Map.of(), dir, handler -> () -> { });
        int status = dev.rcon.console.Main.run(io, "--host", "127.0.0.1:" + agent.port(), "--key", key.toString(), "-n",
                "--", "while :; do echo y; sleep 0.01; done");
        assertEquals(141, status);
        assertEquals("", err.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(agent.log().contains("signal TERM"), agent.log());
    }

    @Test
    void aPeerThatTricklesItsHandshakeCannotStretchTheConnectTimeout() throws Exception {
        try (ServerSocket trickler = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var slow = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = trickler.accept()) {
                    byte[] m0 = new byte[42];
                    m0[3] = 38;
                    for (int i = 0; i < m0.length; i++) {
                        s.getOutputStream().write(m0[i]);
                        s.getOutputStream().flush();
                        Thread.sleep(300);
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    // The console gave up and closed: that is the point.
                }
            });
            ConsoleRun r = ConsoleRun.run(dir, "", "--host", "127.0.0.1:" + trickler.getLocalPort(), "--key", key.toString(),
                    "--connect-timeout", "1s", "true");
            assertEquals(255, r.status());
            assertEquals("rcon: 127.0.0.1:" + trickler.getLocalPort() + ": timed out connecting after 1s\n", r.err());
            slow.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
