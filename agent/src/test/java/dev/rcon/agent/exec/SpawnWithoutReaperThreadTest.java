package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.testkit.ForwardingSpawned;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Started;
import dev.rcon.common.wire.ErrorCode;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At the host's task limit, ProcessBuilder.start can fork and then get no thread for the JDK's
 * process reaper, and a started command can get none for its stderr pump: OutOfMemoryError. The
 * command must still end, answered busy, and give its slots back; from the launch it escaped the
 * start thread, and the channel never ended (no answer, its max_commands, max_channels and input
 * slots held until the agent restarts); after the start it was answered as a bug of ours.
 */
@Timeout(20)
class SpawnWithoutReaperThreadTest {
    private static final ErrorReply BUSY = new ErrorReply(1, ErrorCode.BUSY,
            "no thread for this request: the host is at its process or thread limit");
    private static final String NO_THREAD = "unable to create native thread: possibly out of memory or process/resource"
            + " limits reached";

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger ends = new AtomicInteger();
    private final AtomicInteger slotsBack = new AtomicInteger();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** Runs {@code true} through {@code launcher} until the channel ends. */
    private void run(Launcher launcher) throws InterruptedException {
        ExecSettings settings = new ExecSettings(launcher, CommandScopes.processGroups("test"), timer,
                Duration.ofSeconds(1), Duration.ZERO);
        ExecChannel channel = new ExecChannel(new Link(1, "exec-test-1", sent::add, ends::incrementAndGet),
                Exec.shell(1, "sleep 30"), RunAs.AGENT, settings, new ExecOutcome() {
                    @Override
                    public void started() {
                    }

                    @Override
                    public void refused(RequestException e) {
                        slotsBack.incrementAndGet();
                    }

                    @Override
                    public void failed(RuntimeException e) {
                        slotsBack.incrementAndGet();
                    }

                    @Override
                    public void finished(Exit exit) {
                        slotsBack.incrementAndGet();
                    }
                });
        channel.open();
        assertTrue(channel.awaitEnd(System.nanoTime() + 10_000_000_000L), "the command never ended");
        assertEquals(1, ends.get());
        assertEquals(1, slotsBack.get(), "the slot goes back once");
    }

    @Test
    void aLaunchThatGetsNoThreadEndsTheCommandBusyAndGivesItsSlotBack() throws Exception {
        run((request, runAs, scope) -> {
            throw new OutOfMemoryError(NO_THREAD);
        });
        assertEquals(List.of(BUSY), sent);
    }

    @Test
    void aStartedCommandThatGetsNoThreadForItsStderrIsKilledAndAnsweredBusy() throws Exception {
        AtomicLong leader = new AtomicLong();
        run((request, runAs, scope) -> {
            Spawned real = Launcher.standard().launch(request, runAs, scope);
            leader.set(real.leader().pid());
            return new ForwardingSpawned(real) {
                private boolean first = true;

                @Override
                public InputStream stderr() {
                    if (first) {
                        // Where the pump's thread would start: as if the host had none to give.
                        first = false;
                        throw new OutOfMemoryError(NO_THREAD);
                    }
                    return super.stderr();
                }
            };
        });
        assertInstanceOf(Started.class, sent.get(0));
        assertEquals(List.of(BUSY), sent.subList(1, sent.size()));
        Processes.assertGone(leader.get());
    }
}
