package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.flow.Windows;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.msg.Window;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Windows per channel and direction (RCON1.md 4.1), and attack V3: a stdin nobody reads. */
@Timeout(60)
class FlowControlTest {
    @TempDir
    Path dir;

    private static Exec sleeperReadingNothing(int id) {
        return new Exec(id, "sleep 30", null, null, null, null, true);
    }

    /** Fills the channel's whole window with stdin, 64 KiB at a time. */
    private static void fillStdinWindow(TestClient client, int id) throws IOException {
        byte[] chunk = new byte[Limits.CHUNK];
        for (int sent = 0; sent < Windows.INITIAL; sent += chunk.length) {
            client.send(Stdin.bytes(id, chunk));
        }
    }

    /**
     * A console that took all of a command's output window, granted no more, then went away: the
     * command's pump waited for credit the console would never give, so it never saw the TERM'd
     * command's end, and its thread, cgroup and max_commands slot stayed for good (found when
     * CutSessionLeakTest failed once with three such consoles cut at once on Temurin 25).
     */
    @Test
    void aCommandWhoseConsoleSpentItsWindowAndWentAwayEndsAndGivesItsSlotBack() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withMaxCommands(1))) {
            try (TestClient client = agent.connect().withholdWindows()) {
                client.send(new Exec(1, "yes", null, null, null, null, null));
                long got = 0;
                while (got < Windows.INITIAL) {
                    if (client.receive() instanceof Stdout out) {
                        got += out.payload().length;
                    }
                }
            }
            assertTrue(agent.awaitLog("command 'yes': signal TERM").contains("command 'yes': signal TERM"),
                    agent.log());
            try (TestClient next = agent.connect()) {
                assertEquals(0, next.run(Exec.shell(1, "true")).exit().code(), agent.log());
            }
        }
    }

    @Test
    void aCommandThatNeverReadsItsStdinStallsOnlyItsOwnChannel() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(sleeperReadingNothing(1));
            long pid = ((Started) client.receive()).pid();
            fillStdinWindow(client, 1);
            client.send(new Ping(7));
            assertEquals(new Pong(7), client.receive());
            TestClient.Run other = client.run(Exec.shell(2, "echo still here"));
            assertEquals("still here\n", new String(other.stdout()));
            client.send(new Signal(1, SignalName.INT));
            Exit exit = client.collect(1).exit();
            assertEquals("INT", exit.signal());
            Processes.assertGone(pid);
        }
    }

    /**
     * A command whose leader ended while a background job it left kept its stdin unread: the
     * stdin writer stayed blocked in its write, holding the pipe stream's lock, and the end of the
     * command closed that pipe under the same lock, so the command's exit never went out (and its
     * pump's thread waited) for as long as the job lived.
     */
    @Test
    @Timeout(30)
    void aCommandEndsWhileAJobItLeftHoldsItsStdinUnread() throws Exception {
        Path go = dir.resolve("go");
        assertEquals(0, new ProcessBuilder("mkfifo", go.toString()).start().waitFor());
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(new Exec(1, "exec 3<&0; sleep 30 <&3 3<&- >/dev/null 2>&1 & read -r _ < " + go + "; exit 7",
                    null, null, null, null, true));
            assertInstanceOf(Started.class, client.receive());
            fillStdinWindow(client, 1);
            // The reader has passed all of it on: the writer is blocked on the full pipe.
            client.send(new Ping(5));
            assertEquals(new Pong(5), client.receive());
            Files.writeString(go, "go\n");
            assertEquals(7, client.collect(1).exit().code(), agent.log());
        }
    }

    @Test
    void consolesThatDropWithAStuckStdinDoNotLeaveTheAgentBusy() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withLimits(3, 32, 64))) {
            for (int i = 0; i < 3; i++) {
                TestClient client = agent.connect();
                client.send(sleeperReadingNothing(1));
                long pid = ((Started) client.receive()).pid();
                fillStdinWindow(client, 1);
                client.close();
                Processes.assertGone(pid);
            }
            try (TestClient fourth = agent.connect()) {
                assertEquals(0, fourth.run(Exec.shell(1, "true")).exit().code());
            }
        }
    }

    @Test
    void aConsoleThatOverrunsItsWindowLosesItsSessionAndItsCommands() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(sleeperReadingNothing(1));
            long pid = ((Started) client.receive()).pid();
            fillStdinWindow(client, 1);
            client.send(Stdin.bytes(1, new byte[1]));
            assertThrows(IOException.class, () -> {
                while (true) {
                    client.receive();
                }
            });
            Processes.assertGone(pid);
            assertTrue(agent.log().contains(
                    "closed on protocol error: expected at most 0 payload bytes on channel 1 but got 1"), agent.log());
        }
    }

    @Test
    void outputStopsAtTheWindowUntilTheConsoleGivesCredit() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect().withholdWindows()) {
            long size = 10L << 20;
            client.send(Exec.shell(1, "head -c " + size + " /dev/zero"));
            assertInstanceOf(Started.class, client.receive());
            long received = 0;
            while (received < Windows.INITIAL) {
                received += ((Stdout) client.receive()).payload().length;
            }
            assertEquals(Windows.INITIAL, received);
            // The agent may not send one byte more: the next record is the answer to our ping.
            client.send(new Ping(9));
            assertEquals(new Pong(9), client.receive());
            client.send(new Window(1, (int) (size - Windows.INITIAL)));
            Exit exit = null;
            while (exit == null) {
                Message m = client.receive();
                if (m instanceof Stdout s) {
                    received += s.payload().length;
                } else {
                    exit = (Exit) m;
                }
            }
            assertEquals(size, received);
            assertEquals(0, exit.code());
        }
    }

    @Test
    void aWindowBeyondTheMaximumEndsTheSession() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(sleeperReadingNothing(1));
            assertInstanceOf(Started.class, client.receive());
            client.send(new Window(1, Integer.MAX_VALUE));
            assertThrows(IOException.class, () -> {
                while (true) {
                    client.receive();
                }
            });
            assertTrue(agent.log().contains("closed on protocol error: expected a window of at most 2147483647 bytes"
                    + " on channel 1"), agent.log());
        }
    }

    @Test
    void aWindowForAChannelNotInFlightIsIgnored() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(new Window(99, 1000));
            client.send(new Ping(3));
            assertEquals(new Pong(3), client.receive());
        }
    }

    @Test
    void aPutLargerThanTheWindowProceedsAsTheAgentGivesCredit() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect().withholdWindows()) {
            int size = 2 * Windows.INITIAL;
            byte[] chunk = new byte[Limits.CHUNK];
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            Path target = dir.resolve("big.bin");
            client.send(new Put(1, target.toString(), (long) size, "0600"));
            long credit = Windows.INITIAL;
            for (int sent = 0; sent < size; sent += chunk.length) {
                while (credit < chunk.length) {
                    credit += ((Window) client.receive()).bytes();
                }
                client.send(Data.chunk(1, chunk));
                sha.update(chunk);
                credit -= chunk.length;
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            client.send(Data.last(1, hex));
            Message m;
            do {
                m = client.receive();
            } while (m instanceof Window);
            assertEquals(new Done(1, size, hex), m);
            assertEquals(size, Files.size(target));
        }
    }
}
