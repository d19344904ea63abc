package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Commands on a pseudo-terminal (RCON1.md section 4.2), against a real agent. */
@Timeout(60)
class TerminalTest {
    /** Job control on: each background job gets a process group of its own, as in a login shell. */
    private static final String JOB_IN_ITS_OWN_GROUP = "set -m; sleep 300 & echo \"job=$! \"; wait";

    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private static Exec onTerminal(int id, String command, Long timeoutMs) {
        return new Exec(id, command, null, null, null, timeoutMs, null, new Pty("xterm-256color", 80, 24));
    }

    /** Output of a command on a terminal as it arrives; a terminal gives no stderr records. */
    private static final class Terminal {
        private final TestClient client;
        private final int id;
        private final StringBuilder text = new StringBuilder();
        private Exit exit;

        Terminal(TestClient client, int id) throws IOException {
            this.client = client;
            this.id = id;
            assertInstanceOf(Started.class, client.receive());
        }

        /** Reads until {@code pattern} matches what arrived after {@code from}; returns the match. */
        Matcher await(String pattern, int from) throws IOException {
            Matcher m = Pattern.compile(pattern).matcher(text);
            while (!m.find(from)) {
                assertNull(exit, "exited before '" + pattern + "' in: " + text);
                next();
                m = Pattern.compile(pattern).matcher(text);
            }
            return m;
        }

        Exit awaitExit() throws IOException {
            while (exit == null) {
                next();
            }
            return exit;
        }

        private void next() throws IOException {
            Message m = client.receive();
            assertEquals(id, m.requestId(), "unexpected " + m);
            if (m instanceof Stdout s) {
                text.append(new String(s.payload(), UTF_8));
            } else if (m instanceof Exit e) {
                exit = e;
            } else {
                throw new AssertionError("expected stdout or exit on a terminal but got " + m);
            }
        }

        int length() {
            return text.length();
        }
    }

    @Test
    void theCommandRunsOnAPtsDeviceOfTheRequestedSizeAndTermAndSeesResizes() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, "tty; echo \"term=$TERM\"; stty size; echo ready >&2; read line; stty size", null));
            Terminal terminal = new Terminal(client, 1);
            terminal.await("^/dev/pts/\\d+\r\n", 0);
            terminal.await("term=xterm-256color\r\n24 80\r\n", 0);
            int before = terminal.await("ready\r\n", 0).end();
            client.send(new Resize(1, 132, 50));
            client.send(Stdin.bytes(1, "go\r".getBytes(UTF_8)));
            terminal.await("go\r\n50 132\r\n", before);
            assertEquals(0, terminal.awaitExit().code());
        }
    }

    @Test
    void aProgramTrappingSigwinchSeesTheNewSize() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, "trap 'stty size; exit 3' WINCH; echo ready; while :; do sleep 5 & wait $!; done", null));
            Terminal terminal = new Terminal(client, 1);
            int from = terminal.await("ready\r\n", 0).end();
            client.send(new Resize(1, 100, 40));
            terminal.await("40 100\r\n", from);
            assertEquals(3, terminal.awaitExit().code());
        }
    }

    @Test
    void ctrlCTypedOnTheTerminalInterruptsTheForegroundProgram() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, "echo ready; exec sleep 30", null));
            Terminal terminal = new Terminal(client, 1);
            terminal.await("ready\r\n", 0);
            client.send(Stdin.bytes(1, new byte[] {3}));
            Exit exit = terminal.awaitExit();
            assertEquals("INT", exit.signal());
            assertNull(exit.code());
        }
    }

    /** Types {@code typed} to cat on a terminal, awaits {@code seen} (the echo, then cat's copy), then sends eof. */
    private void catEndsAtEofAfter(String typed, String seen) throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, "echo ready; exec cat", null));
            Terminal terminal = new Terminal(client, 1);
            int from = terminal.await("ready\r\n", 0).end();
            client.send(Stdin.bytes(1, typed.getBytes(UTF_8)));
            if (typed.endsWith("\r")) {
                terminal.await(seen, from);
            }
            client.send(Stdin.eof(1));
            terminal.await(seen, from);
            assertEquals(0, terminal.awaitExit().code());
        }
    }

    @Test
    void stdinEofTypesTheEofCharacterOnceAndEndsCat() throws Exception {
        catEndsAtEofAfter("hello\r", "hello\r\nhello\r\n");
    }

    /** As {@code printf abc | rcon -t -- cat}: one EOF character would only hand "abc" to cat. */
    @Test
    void stdinEofAfterAPartialLineEndsCatToo() throws Exception {
        catEndsAtEofAfter("abc", "abcabc");
    }

    @Test
    void theExitCarriesTheLeadersStatusAfterAllItsOutput() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done; exit 7", null));
            Terminal terminal = new Terminal(client, 1);
            Exit exit = terminal.awaitExit();
            assertEquals(7, exit.code());
            assertTrue(terminal.text.toString().endsWith("line-1999\r\n"), terminal.text.substring(terminal.length() - 40));
            assertEquals(terminal.text.toString().getBytes(UTF_8).length, exit.stdoutBytes());
            assertEquals(0, exit.stderrBytes());
        }
    }

    @Test
    void aTimeoutEndsEveryProcessOnTheTerminalIncludingJobsInGroupsOfTheirOwn() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, JOB_IN_ITS_OWN_GROUP, 1000L));
            Terminal terminal = new Terminal(client, 1);
            long job = Long.parseLong(terminal.await("job=(\\d+) ", 0).group(1));
            assertTrue(ProcessHandle.of(job).isPresent());
            Exit exit = terminal.awaitExit();
            assertTrue(exit.timedOut());
            Processes.assertGone(job);
        }
    }

    @Test
    void theEndOfTheSessionEndsEveryProcessOnTheTerminal() throws Exception {
        long job;
        try (TestClient client = agent.get().connect()) {
            client.send(onTerminal(1, JOB_IN_ITS_OWN_GROUP, null));
            job = Long.parseLong(new Terminal(client, 1).await("job=(\\d+) ", 0).group(1));
            client.send(new Close());
        }
        Processes.assertGone(job);
    }

    @Test
    void whenTheLeaderExitsWhatIsLeftOnTheTerminalIsHungUp() throws Exception {
        try (TestClient client = agent.get().connect()) {
            // The job ignores nothing and holds the terminal: ssh's hangup would end it too.
            client.send(onTerminal(1, "set -m; sleep 300 & echo \"job=$! \"; exit 5", null));
            Terminal terminal = new Terminal(client, 1);
            long job = Long.parseLong(terminal.await("job=(\\d+) ", 0).group(1));
            assertEquals(5, terminal.awaitExit().code());
            Processes.assertGone(job);
        }
    }

    @Test
    void aHostileTermNameOrSizeIsABadRequestAndStartsNothing() throws Exception {
        try (TestClient client = agent.get().connect()) {
            String head = "{\"type\":\"exec\",\"id\":1,\"command\":\"touch /tmp/rcon-never-" + ProcessHandle.current().pid()
                    + "\",\"pty\":";
            for (String pty : new String[] {"{\"term\":\"../../etc/x\",\"cols\":80,\"rows\":24}",
                "{\"term\":\"xterm\\u001b]2;owned\\u0007\",\"cols\":80,\"rows\":24}",
                "{\"term\":\"xterm\",\"cols\":80,\"rows\":100000}", "{\"term\":\"xterm\",\"cols\":-1,\"rows\":24}"}) {
                client.sendHeader(head + pty + "}");
                ErrorReply error = (ErrorReply) client.receive();
                assertEquals(ErrorCode.BAD_REQUEST, error.code(), error.message());
                assertEquals(1, error.id());
            }
            assertTrue(java.nio.file.Files.notExists(java.nio.file.Path.of("/tmp/rcon-never-" + ProcessHandle.current().pid())));
        }
    }

    @Test
    void resizeForACommandWithoutATerminalIsABadRequest() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(new Exec(1, "cat", null, null, null, null, true));
            assertInstanceOf(Started.class, client.receive());
            client.send(new Resize(1, 100, 40));
            ErrorReply error = (ErrorReply) client.receive();
            assertEquals(ErrorCode.BAD_REQUEST, error.code());
            assertEquals(1, error.id());
            assertEquals("resize is only for a command started with a pty", error.message());
            client.send(Stdin.eof(1));
            assertEquals(0, client.collect(1).exit().code());
        }
    }
}
