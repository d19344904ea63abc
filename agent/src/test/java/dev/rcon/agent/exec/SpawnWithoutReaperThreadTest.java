package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.channel.Link;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * At the host's task limit, ProcessBuilder.start can fork and then get no thread for the JDK's
 * process reaper: OutOfMemoryError comes out of the launch. The command must still end, answered
 * busy, and give its slots back; it escaped the start thread, and the channel never ended (no
 * answer, its max_commands, max_channels and input slots held until the agent restarts).
 */
@Timeout(20)
class SpawnWithoutReaperThreadTest {
    @Test
    void aLaunchThatGetsNoThreadEndsTheCommandBusyAndGivesItsSlotBack() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            Launcher noThread = (request, runAs, scope) -> {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource"
                        + " limits reached");
            };
            ExecSettings settings = new ExecSettings(noThread, CommandScopes.processGroups("test"), timer,
                    Duration.ofSeconds(1), Duration.ZERO);
            List<Message> sent = new CopyOnWriteArrayList<>();
            AtomicInteger ends = new AtomicInteger();
            AtomicInteger slotsBack = new AtomicInteger();
            ExecChannel channel = new ExecChannel(new Link(1, "exec-test-1", sent::add, ends::incrementAndGet),
                    Exec.shell(1, "true"), RunAs.AGENT, settings, new ExecOutcome() {
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
            assertEquals(List.of(new ErrorReply(1, ErrorCode.BUSY,
                    "no thread for this request: the host is at its process or thread limit")), sent);
            assertEquals(1, ends.get());
            assertEquals(1, slotsBack.get());
        } finally {
            timer.shutdownNow();
        }
    }
}
