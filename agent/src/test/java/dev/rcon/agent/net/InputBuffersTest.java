package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.flow.Windows;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Put;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: the spec lets a console send W0 (4 MiB) on every channel before the agent grants
 * anything, and the agent holds it until a command or a file takes it. Commands that never read
 * their stdin, across a few sessions of one key, filled the unit's 256 MiB heap, and the agent
 * ended on OutOfMemoryError with everyone's sessions. Each request that takes input now reserves
 * W0 of {@code input_buffer_mb} (half the heap by default) when it opens.
 */
@Timeout(120)
class InputBuffersTest {
    private static final String BUSY = "the agent's input buffers are all held: input_buffer_mb=8 lets 2 requests"
            + " take input (stdin, a terminal, a put) at once";

    @TempDir
    Path dir;

    @Test
    void requestsThatTakeInputShareTheAgentsInputBuffersAndTheRestAreToldBusy() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withInputBufferMb(8));
             TestClient first = agent.connect(); TestClient second = agent.connect()) {
            first.send(new Exec(1, "sleep 30", null, null, null, null, true));
            assertInstanceOf(Started.class, first.receive());
            second.send(new Exec(1, "sleep 30", null, null, null, null, null, new Pty("xterm", 80, 24)));
            assertInstanceOf(Started.class, second.receive());
            second.send(new Put(2, dir.resolve("file").toString(), 0L, "0644"));
            assertEquals(new ErrorReply(2, ErrorCode.BUSY, BUSY), second.receive());
            second.send(new Exec(3, "cat", null, null, null, null, true));
            assertEquals(new ErrorReply(3, ErrorCode.BUSY, BUSY), second.receive());
            assertEquals(0, second.run(Exec.shell(4, "true")).exit().code(), "a command without input takes no slot");

            first.send(new Signal(1, SignalName.KILL));
            assertEquals("KILL", first.collect(1).exit().signal());
            second.send(new Exec(5, "cat", null, null, null, null, true));
            second.send(Stdin.eof(5));
            assertEquals(0, second.collect(5).exit().code(), "the ended command gave its slot back");
        }
    }

    @Test
    void consolesThatFillEveryInputWindowAreToldBusyAndTheAgentServesTheRest() throws Exception {
        Key key = TestKeys.fresh("fill");
        // The unit's heap and its end on OutOfMemoryError, so that exhausting the heap would show.
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), dir.resolve("agent.log"),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")) {
            List<TestClient> fillers = new ArrayList<>();
            int started = 0;
            int busy = 0;
            try {
                for (int s = 0; s < 3; s++) {
                    TestClient filler = TestClient.connect(agent.port(), key);
                    fillers.add(filler);
                    List<Integer> running = openCommandsThatNeverRead(filler, 32);
                    busy += 32 - running.size();
                    started += running.size();
                    fill(filler, running);
                }
                assertTrue(busy > 0 && started * (long) Windows.INITIAL < 256L << 20,
                        started + " commands hold a full window, " + busy + " were told busy");
                try (TestClient other = TestClient.connect(agent.port(), key)) {
                    assertEquals(0, other.run(Exec.shell(1, "true")).exit().code());
                }
                assertTrue(agent.process().isAlive(), Files.readString(dir.resolve("agent.log")));
            } finally {
                for (TestClient filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /** Opens {@code n} commands with stdin; returns the ids that started (the rest were busy). */
    private static List<Integer> openCommandsThatNeverRead(TestClient client, int n) throws IOException {
        for (int id = 1; id <= n; id++) {
            client.send(new Exec(id, "sleep 60", null, null, null, null, true));
        }
        List<Integer> running = new ArrayList<>();
        for (int answered = 0; answered < n; answered++) {
            Message m = client.receive();
            if (m instanceof Started) {
                running.add(m.requestId());
            } else {
                assertEquals(ErrorCode.BUSY, ((ErrorReply) m).code(), m.toString());
            }
        }
        return running;
    }

    /** Sends each of {@code ids} a whole window of stdin, then waits until the agent has read it all. */
    private static void fill(TestClient client, List<Integer> ids) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        for (int id : ids) {
            for (int sent = 0; sent < Windows.INITIAL; sent += chunk.length) {
                client.send(Stdin.bytes(id, chunk));
            }
        }
        client.send(new Ping(99));
        Message m;
        do {
            m = client.receive();
        } while (!(m instanceof Pong));
    }
}
