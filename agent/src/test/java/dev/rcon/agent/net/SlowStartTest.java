package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.exec.Launcher;
import dev.rcon.agent.exec.Spawned;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose start blocks (its {@code cwd} or program on a hung network mount) holds up
 * that command only. The agent's real launcher starts every process; for commands whose text
 * holds {@code #held} it first waits for the test's word, as a stuck {@code chdir} would.
 */
@Timeout(60)
class SlowStartTest {
    private static final String HELD = "#held";

    @TempDir
    Path dir;

    /** The standard launcher, holding up the start of every command marked {@link #HELD}. */
    private static final class HeldStarts implements Launcher {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong leader = new AtomicLong();
        private final Launcher real = Launcher.standard();

        @Override
        public Spawned launch(Exec request, dev.rcon.agent.exec.RunAs runAs, dev.rcon.agent.exec.CommandScope scope)
                throws dev.rcon.agent.channel.RequestException {
            if (request.command() != null && request.command().contains(HELD)) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Spawned spawned = real.launch(request, runAs, scope);
                leader.set(spawned.leader().pid());
                return spawned;
            }
            return real.launch(request, runAs, scope);
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the held command never began to start");
        }
    }

    @Test
    void aCommandThatCannotStartYetHoldsUpNothingElseOfItsSession() throws Exception {
        HeldStarts starts = new HeldStarts();
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c, starts); TestClient client = agent.connect()) {
            client.send(new Exec(1, "cat " + HELD, null, null, null, null, true));
            starts.awaitEntered();
            client.send(new Ping(7));
            assertEquals(new Pong(7), client.receive());
            TestClient.Run other = client.run(Exec.shell(2, "echo still here"));
            assertEquals("still here\n", new String(other.stdout(), StandardCharsets.UTF_8));
            client.send(new Resize(1, 100, 31));
            ErrorReply notATerminal = (ErrorReply) client.receive();
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, "resize is only for a command started with a pty"),
                    notATerminal, "answered while the command still starts");
            client.send(Stdin.bytes(1, "typed before it started\n".getBytes(StandardCharsets.UTF_8)));
            client.send(Stdin.eof(1));
            starts.release.countDown();
            TestClient.Run held = client.collect(1);
            assertInstanceOf(Started.class, held.events().get(0));
            assertEquals("typed before it started\n", new String(held.stdout(), StandardCharsets.UTF_8));
            assertEquals(0, held.exit().code());
        }
    }

    @Test
    void aSignalAndAResizeThatArriveWhileTheCommandStartsReachItOnceItHas() throws Exception {
        HeldStarts starts = new HeldStarts();
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c, starts); TestClient client = agent.connect()) {
            client.send(new Exec(1, "trap 'stty size; exit 3' INT; sleep 30 & wait " + HELD, null, null, null, null,
                    null, new Pty("xterm", 80, 24)));
            starts.awaitEntered();
            client.send(new Resize(1, 100, 31));
            client.send(new Signal(1, SignalName.INT));
            starts.release.countDown();
            TestClient.Run held = client.collect(1);
            assertTrue(new String(held.stdout(), StandardCharsets.UTF_8).contains("31 100"),
                    "the terminal's size after the early resize: " + new String(held.stdout(), StandardCharsets.UTF_8));
            Exit exit = held.exit();
            assertEquals(3, exit.code(), "the early INT ran the trap: " + exit);
        }
    }

    @Test
    void aSessionThatEndsWhileACommandStartsLeavesNoProcessAndFreesItsSlot() throws Exception {
        HeldStarts starts = new HeldStarts();
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c.withMaxCommands(1), starts)) {
            TestClient gone = agent.connect();
            gone.send(Exec.shell(1, "sleep 30 " + HELD));
            starts.awaitEntered();
            gone.close();
            agent.awaitLog("ended: console went away");
            starts.release.countDown();
            agent.awaitLog("'sleep 30 " + HELD + "': signal TERM");
            Processes.assertGone(starts.leader.get());
            try (TestClient next = agent.connect()) {
                assertEquals(0, next.run(Exec.shell(1, "true")).exit().code(), "the agent's one slot is free again");
            }
        }
    }
}
