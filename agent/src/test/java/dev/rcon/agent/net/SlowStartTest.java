package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.exec.CommandScope;
import dev.rcon.agent.exec.Launcher;
import dev.rcon.agent.exec.RunAs;
import dev.rcon.agent.exec.Spawned;
import dev.rcon.agent.testkit.ForwardingSpawned;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.SpecialFiles;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.flow.Windows;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Resize;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /**
     * The standard launcher, holding up the start of every command marked {@link #HELD} until
     * {@link #release}; with {@code holdAfterOpen}, holding it once more at the channel's first
     * call on the started command after its gate opened ({@code stderr()}) until {@link #proceed}.
     */
    private static final class HeldStarts implements Launcher {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch opened = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final AtomicLong leader = new AtomicLong();
        private final Launcher real = Launcher.standard();
        private final boolean holdAfterOpen;
        /** When set, the gate opens only once the command wrote a line to this FIFO (its traps are set). */
        private Path readyFifo;

        HeldStarts(boolean holdAfterOpen) {
            this.holdAfterOpen = holdAfterOpen;
        }

        HeldStarts openingOnceReady(Path fifo) {
            this.readyFifo = fifo;
            return this;
        }

        @Override
        public Spawned launch(Exec request, RunAs runAs, CommandScope scope) throws RequestException {
            if (request.command() == null || !request.command().contains(HELD)) {
                return real.launch(request, runAs, scope);
            }
            entered.countDown();
            await(release);
            Spawned spawned = real.launch(request, runAs, scope);
            leader.set(spawned.leader().pid());
            if (readyFifo == null && !holdAfterOpen) {
                return spawned;
            }
            return new ForwardingSpawned(spawned) {
                private boolean first = true;

                @Override
                public void awaitJoined() throws RequestException {
                    super.awaitJoined();
                    if (readyFifo != null) {
                        try {
                            Files.readAllLines(readyFifo);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }

                @Override
                public InputStream stderr() {
                    if (holdAfterOpen && first) {
                        first = false;
                        opened.countDown();
                        await(proceed);
                    }
                    return super.stderr();
                }
            };
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the held command never began to start");
        }

        private static void await(CountDownLatch latch) {
            try {
                assertTrue(latch.await(30, TimeUnit.SECONDS), "the test never gave its word");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits for the pong of {@code id}: the reader has handled everything sent before it. What
     * comes before the pong ({@code started}, window) is passed over.
     */
    private static void pingThrough(TestClient client, int id) throws IOException {
        client.send(new Ping(id));
        Message m;
        do {
            m = client.receive();
        } while (!new Pong(id).equals(m));
    }

    @Test
    void aCommandThatCannotStartYetHoldsUpNothingElseOfItsSession() throws Exception {
        HeldStarts starts = new HeldStarts(false);
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
    void stdinForACommandWithoutInputIsDroppedAtOnceEvenWhileItStarts() throws Exception {
        HeldStarts starts = new HeldStarts(false);
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c, starts); TestClient client = agent.connect()) {
            client.send(Exec.shell(1, "true " + HELD));
            starts.awaitEntered();
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < Windows.INITIAL; sent += chunk.length) {
                client.send(Stdin.bytes(1, chunk));
            }
            pingThrough(client, 7);
            assertEquals(Windows.INITIAL, client.granted(1),
                    "its stdin is /dev/null, so nothing waits for the start (and no input slot covers it)");
            starts.release.countDown();
            assertEquals(0, client.collect(1).exit().code());
        }
    }

    @Test
    void aSignalAndAResizeThatArriveWhileTheCommandStartsReachItOnceItHas() throws Exception {
        // The gate opens once the trap is set: the INT would otherwise race the shell's start.
        Path ready = SpecialFiles.fifo(dir.resolve("trap-set"));
        HeldStarts starts = new HeldStarts(false).openingOnceReady(ready);
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c, starts); TestClient client = agent.connect()) {
            client.send(new Exec(1, "trap 'stty size; exit 3' INT; echo >" + ready + "; sleep 30 & wait " + HELD, null,
                    null, null, null, null, new Pty("xterm", 80, 24)));
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
        HeldStarts starts = new HeldStarts(false);
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

    @Test
    void theLastResizeWinsEvenWhenItArrivesJustAfterTheStart() throws Exception {
        HeldStarts starts = new HeldStarts(true);
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c, starts); TestClient client = agent.connect()) {
            client.send(new Exec(1, "read line; stty size #held", null, null, null, null, null,
                    new Pty("xterm", 80, 24)));
            starts.awaitEntered();
            client.send(new Resize(1, 100, 31)); // kept by the gate
            pingThrough(client, 7);
            starts.release.countDown();
            assertTrue(starts.opened.await(30, TimeUnit.SECONDS));
            client.send(new Resize(1, 120, 40)); // the gate is open: applied now, on the reader
            pingThrough(client, 8);
            starts.proceed.countDown(); // the start thread goes on
            client.send(Stdin.bytes(1, "go\n".getBytes(StandardCharsets.UTF_8)));
            TestClient.Run run = client.collect(1);
            String out = new String(run.stdout(), StandardCharsets.UTF_8);
            assertTrue(out.contains("40 120"), "the console's last size is 120x40, the terminal says: " + out + run.events());
        }
    }

    @Test
    void signalsReachTheCommandInTheOrderTheConsoleSentThem() throws Exception {
        // The gate opens once both traps are set: the HUP it kept would otherwise race the shell's start.
        Path ready = SpecialFiles.fifo(dir.resolve("traps-set"));
        HeldStarts starts = new HeldStarts(true).openingOnceReady(ready);
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c, starts); TestClient client = agent.connect()) {
            client.send(new Exec(1, "trap 'echo hup' HUP; trap 'echo int; exit 5' INT; echo >" + ready + "; echo ready; "
                    + "while :; do sleep 0.05; done #held", null, null, null, null, null));
            starts.awaitEntered();
            client.send(new Signal(1, SignalName.HUP)); // kept by the gate
            pingThrough(client, 7);
            starts.release.countDown();
            assertTrue(starts.opened.await(30, TimeUnit.SECONDS));
            client.send(new Signal(1, SignalName.INT)); // the gate is open: sent now
            pingThrough(client, 8);
            starts.proceed.countDown();
            TestClient.Run run = client.collect(1);
            String out = new String(run.stdout(), StandardCharsets.UTF_8);
            assertTrue(out.contains("hup"), "HUP, sent first, reached the command before INT ended it: " + out
                    + " " + run.exit());
        }
    }

    @Test
    void aBugAfterTheProcessStartedEndsTheCommandAndGivesItsSlotBack() throws Exception {
        AtomicLong leader = new AtomicLong();
        Launcher real = Launcher.standard();
        Launcher broken = (request, runAs, scope) -> {
            Spawned spawned = real.launch(request, runAs, scope);
            if (!request.command().contains("#broken")) {
                return spawned;
            }
            leader.set(spawned.leader().pid());
            return new ForwardingSpawned(spawned) {
                @Override
                public OutputStream stdin() {
                    throw new IllegalStateException("a bug after the start");
                }
            };
        };
        try (TestAgent agent = TestAgent.startingThrough(dir, c -> c.withMaxCommands(1), broken);
             TestClient client = agent.connect()) {
            TestClient.Run run = client.run(Exec.shell(1, "sleep 30 #broken"));
            assertEquals(new ErrorReply(1, ErrorCode.INTERNAL, "internal error"), run.events().get(run.events().size() - 1),
                    "the console hears how the command ended: " + run.events());
            Processes.assertGone(leader.get());
            assertEquals(0, client.run(Exec.shell(2, "true")).exit().code(), "the agent's one slot is free again");
        }
    }
}
