package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ExecTest {
    @TempDir
    Path dir;
    TestAgent agent;
    TestClient client;

    @BeforeEach
    void start() throws Exception {
        agent = TestAgent.start(dir);
        client = agent.connect();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        agent.close();
    }

    @Test
    void helloSaysWhoAnswered() {
        assertTrue(client.hello().agent().startsWith("rcon-agent/"), client.hello().agent());
        assertEquals(System.getProperty("user.name"), client.hello().user());
        assertEquals(16, client.hello().session().length());
        assertEquals(32, client.hello().maxChannels());
    }

    @Test
    void eightMebibytesOfRandomBytesArriveExactlyAndStreamsStayApart() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(42).nextBytes(data);
        Path file = dir.resolve("random.bin");
        Files.write(file, data);
        TestClient.Run run = client.run(Exec.shell(1, "cat " + file + "; echo to-stderr >&2"));
        assertArrayEquals(Crypto.sha256(data), Crypto.sha256(run.stdout()));
        assertEquals("to-stderr\n", new String(run.stderr(), UTF_8));
        assertEquals(data.length, run.exit().stdoutBytes());
        assertEquals(10, run.exit().stderrBytes());
        assertInstanceOf(Started.class, run.events().get(0));
        assertTrue(run.events().stream().filter(m -> m instanceof Stdout)
                .allMatch(m -> ((Stdout) m).payload().length <= Limits.CHUNK));
    }

    @Test
    void exitCodesArriveAsGiven() throws Exception {
        for (int code : new int[] {0, 3, 255}) {
            Exit exit = client.run(Exec.shell(code + 1, "exit " + code)).exit();
            assertEquals(code, exit.code());
            assertNull(exit.signal());
            assertFalse(exit.timedOut());
        }
    }

    @Test
    void aSignalKilledCommandReportsTheSignal() throws Exception {
        Exit exit = client.run(Exec.shell(1, "kill -KILL $$")).exit();
        assertNull(exit.code());
        assertEquals("KILL", exit.signal());
    }

    @Test
    void outputStreamsBeforeTheCommandEnds() throws Exception {
        client.send(Exec.shell(1, "echo first; exec sleep 30"));
        assertInstanceOf(Started.class, client.receive());
        Message next = client.receive();
        assertEquals("first\n", new String(((Stdout) next).payload(), UTF_8));
        client.send(new Signal(1, SignalName.INT));
        Exit exit = client.collect(1).exit();
        assertEquals("INT", exit.signal());
    }

    @Test
    void argvRunsWithoutAShellInCwdWithEnv() throws Exception {
        Exec exec = new Exec(1, null, List.of("sh", "-c", "pwd; echo \"$GREETING\"; echo '$HOME'"), "/tmp",
                Map.of("GREETING", "hi there"), null, null);
        assertEquals("/tmp\nhi there\n$HOME\n", new String(client.run(exec).stdout(), UTF_8));
        Exec literal = new Exec(2, null, List.of("echo", "a;b", "$HOME", "*"), null, null, null, null);
        assertEquals("a;b $HOME *\n", new String(client.run(literal).stdout(), UTF_8));
    }

    /**
     * A request without a directory starts in the home of the agent's user, as sshd starts a
     * command: it started in the agent's own working directory, / under systemd, so that
     * 'rcon -H @web -- rm -rf tmp/*' meant for the home emptied /tmp (found running one-shots and
     * fleet commands as an operator would, next to the shells, which start at home). A program
     * named by a relative path is found there too.
     */
    @Test
    void aRequestWithoutADirectoryStartsInTheAgentUsersHome() throws Exception {
        String home = Path.of(System.getProperty("user.home")).toRealPath().toString();
        assertEquals(home + "\n", new String(client.run(Exec.shell(1, "pwd -P")).stdout(), UTF_8));
        Exec argv = new Exec(2, null, List.of("pwd", "-P"), null, null, null, null);
        assertEquals(home + "\n", new String(client.run(argv).stdout(), UTF_8));
    }

    /**
     * A relative entry of PATH (bin, or the empty one for the current directory) is searched
     * where the program will start, its --cwd or the home: it was searched from the agent's own
     * directory, so that the program there was not found ('no such program') or, where that
     * directory held one of the name, a different program was checked than the one run (found
     * reading 5bae8fe, which resolved a relative argv[0] from the home but not PATH's entries).
     */
    @Test
    void aRelativePathEntryIsSearchedWhereTheProgramStarts() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work/bin"));
        Path probe = Files.writeString(work.resolve("rcon-path-probe"), "#!/bin/sh\necho \"found $(pwd -P)\"\n");
        assertTrue(probe.toFile().setExecutable(true));
        String start = work.getParent().toRealPath().toString();
        Exec fromCwd = new Exec(1, null, List.of("rcon-path-probe"), start, Map.of("PATH", "bin:/usr/bin:/bin"),
                null, null);
        assertEquals("found " + start + "\n", new String(client.run(fromCwd).stdout(), UTF_8));
        Path home = Path.of(System.getProperty("user.home")).toRealPath();
        Path inHome = Files.createTempDirectory(home, "rcon-path-probe-");
        try {
            Files.copy(probe, inHome.resolve("rcon-path-probe"));
            Exec fromHome = new Exec(2, null, List.of("rcon-path-probe"), null,
                    Map.of("PATH", inHome.getFileName() + ":/usr/bin:/bin"), null, null);
            assertEquals("found " + home + "\n", new String(client.run(fromHome).stdout(), UTF_8));
        } finally {
            Files.deleteIfExists(inHome.resolve("rcon-path-probe"));
            Files.delete(inHome);
        }
    }

    /**
     * A program started without a shell of its own finds in PWD where it runs (its --cwd or the
     * home), not where the agent was started: the JDK passes the agent's PWD on unchanged, so
     * with 5bae8fe every such command without --cwd ran in the home with PWD naming the agent's
     * directory (found reviewing 5bae8fe; under systemd the agent has no PWD to pass on).
     */
    @Test
    void aProgramWithoutAShellFindsInPwdWhereItRuns() throws Exception {
        String home = System.getProperty("user.home");
        String cwd = dir.toRealPath().toString();
        Exec atHome = new Exec(1, null, List.of("/usr/bin/env"), null, null, null, null);
        Exec inCwd = new Exec(2, null, List.of("/usr/bin/env"), cwd, null, null, null);
        assertEquals(List.of("PWD=" + home), pwdLines(client.run(atHome)));
        assertEquals(List.of("PWD=" + cwd), pwdLines(client.run(inCwd)));
    }

    private static List<String> pwdLines(TestClient.Run run) {
        return new String(run.stdout(), UTF_8).lines().filter(l -> l.startsWith("PWD=")).toList();
    }

    @Test
    void stdinIsForwardedOnlyWhenAskedFor() throws Exception {
        client.send(new Exec(1, "wc -l", null, null, null, null, true));
        client.send(Stdin.bytes(1, "a\nb\n".getBytes(UTF_8)));
        client.send(Stdin.eof(1));
        assertEquals("2", new String(client.collect(1).stdout(), UTF_8).strip());
        assertEquals("0", new String(client.run(Exec.shell(2, "wc -c")).stdout(), UTF_8).strip());
    }

    @Test
    void aCommandThatCannotStartGetsOneErrorInsteadOfStarted() throws Exception {
        TestClient.Run missing = client.run(new Exec(1, null, List.of("no-such-program-xyz"), null, null, null, null));
        ErrorReply error = (ErrorReply) missing.events().get(0);
        assertEquals(ErrorCode.SPAWN_FAILED, error.code());
        assertEquals("no such program: no-such-program-xyz", error.message());
        TestClient.Run badCwd = client.run(new Exec(2, "true", null, "/nope/nothing", null, null, null));
        assertEquals(List.of(new ErrorReply(2, ErrorCode.NOT_FOUND, "no such directory: /nope/nothing")), badCwd.events());
    }

    /** env(1), which some commands need before the program, would take such a path for a variable. */
    @Test
    void aProgramWhosePathHoldsAnEqualsSignIsRefused() throws Exception {
        Path program = Files.createSymbolicLink(Files.createDirectories(dir.resolve("a=b")).resolve("prog"),
                Path.of("/usr/bin/env"));
        assertEquals(List.of(new ErrorReply(1, ErrorCode.SPAWN_FAILED, "cannot run a program whose path holds '=': "
                + program)), client.run(new Exec(1, null, List.of(program.toString()), null, null, null, null)).events());
        assertEquals(0, client.run(Exec.shell(2, "true")).exit().code());
    }

    @Test
    void aBadRequestIsAnsweredAndTheSessionGoesOn() throws Exception {
        client.send(Exec.shell(1, "exec sleep 30"));
        client.receive();
        client.send(Exec.shell(1, "true"));
        assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, "id 1 is already in use"), client.receive());
        client.send(new Signal(1, SignalName.KILL));
        assertEquals("KILL", client.collect(1).exit().signal());
        assertEquals(0, client.run(Exec.shell(2, "true")).exit().code());
    }

    @Test
    void commandsBeyondMaxChannelsAreTurnedAwayAsBusy() throws Exception {
        try (TestAgent small = TestAgent.start(dir.resolve("small").toFile().mkdirs() ? dir.resolve("small") : dir,
                c -> c.withLimits(4, 1, 4)); TestClient c = small.connect()) {
            c.send(Exec.shell(1, "exec sleep 30"));
            c.receive();
            c.send(Exec.shell(2, "true"));
            assertEquals(new ErrorReply(2, ErrorCode.BUSY, "this session already runs max_channels=1 requests"), c.receive());
            c.send(new Signal(1, SignalName.KILL));
            c.collect(1);
        }
    }

    @Test
    void severalCommandsRunAtOnceInOneSession() throws Exception {
        for (int id = 1; id <= 5; id++) {
            client.send(Exec.shell(id, "echo $((" + id + " * 11))"));
        }
        for (int id = 1; id <= 5; id++) {
            assertEquals(String.valueOf(id * 11), new String(client.collect(id).stdout(), UTF_8).strip());
        }
    }

    @Test
    void eachCommandIsLoggedOnOneLineWithoutItsOutput() throws Exception {
        client.run(Exec.shell(7, "echo secret-output"));
        String log = agent.log();
        assertTrue(log.contains("<6>auth ok peer=127.0.0.1:"), log);
        assertTrue(log.contains("id 7 command 'echo secret-output': exit 0 in "), log);
        assertFalse(log.contains("secret-output\n"), log);
    }

    @Test
    void commandsStartWithNoSignalIgnoredWhateverTheAgentInherited() throws Exception {
        String status = new String(client.run(Exec.shell(1, "grep SigIgn /proc/self/status")).stdout(), UTF_8);
        long ignored = Long.parseUnsignedLong(status.substring(status.indexOf('\t') + 1).strip(), 16);
        // Signals 1 to 31; glibc keeps 32 and 33 for itself.
        assertEquals(0, ignored & 0x7FFFFFFFL, status);
    }

    /** The agent in the test JVM inherited nothing ignored; one started as a background job has INT. */
    @Test
    void anAgentStartedWithIntIgnoredStartsEveryKindOfCommandWithNoSignalIgnored() throws Exception {
        Key key = TestKeys.fresh("ignoring");
        try (AgentProcess ignoring = AgentProcess.startIgnoring("INT", TestKeys.authorizedKeys(dir, key),
                dir.resolve("agent.log")); TestClient c = TestClient.connect(ignoring.port(), key)) {
            for (Exec probe : List.of(Exec.shell(1, "grep SigIgn /proc/self/status"),
                    new Exec(2, null, List.of("grep", "SigIgn", "/proc/self/status"), null, null, null, null),
                    new Exec(3, "grep SigIgn /proc/self/status", null, null, null, null, null,
                            new dev.rcon.common.msg.Pty("xterm", 80, 24)))) {
                String status = new String(c.run(probe).stdout(), UTF_8).strip();
                long ignored = Long.parseUnsignedLong(status.substring(status.indexOf('\t') + 1).strip(), 16);
                assertEquals(0, ignored & 0x7FFFFFFFL, probe + ": " + status);
            }
        }
    }

    @Test
    void everyCommandKnowsWhereItRunsFromAndWhichKeyLoggedIn() throws Exception {
        TestClient.Run run = client.run(new Exec(1, "echo \"$RCON_CONNECTION|$RCON_KEY\"", null, null,
                Map.of("RCON_KEY", "forged", "RCON_CONNECTION", "1.2.3.4 1 5.6.7.8 2"), null, null));
        String[] parts = new String(run.stdout(), UTF_8).strip().split("\\|");
        java.net.Socket s = client.socket();
        assertEquals("127.0.0.1 " + s.getLocalPort() + " 127.0.0.1 " + agent.port(), parts[0]);
        assertEquals(agent.key().name(), parts[1]);
    }
}
