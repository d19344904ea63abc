package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rcon.agent.testkit.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Ctrl-C listened for from before the command is sent reaches it, even before its patience exists. */
@Timeout(30)
class PatienceListeningTest {
    @TempDir
    Path dir;

    @Test
    void aCtrlCBeforeTheCommandsPatienceExistsReachesTheCommandOnceItDoes() throws Exception {
        AtomicReference<Runnable> sigint = new AtomicReference<>();
        AtomicReference<Boolean> handlerClosed = new AtomicReference<>(false);
        try (TestAgent agent = TestAgent.start(dir);
             RconClient client = RconClient.connect(Target.parse("127.0.0.1:" + agent.port()), agent.fleetKey(),
                     Duration.ofSeconds(10))) {
            Patience.End end;
            try (Patience.Listening listening = new Patience.Listening(handler -> {
                sigint.set(handler);
                return () -> handlerClosed.set(true);
            })) {
                RemoteCommand command = client.exec(ExecRequest.shell("exec sleep 25"), OutputListener.DISCARD);
                // Typed after the command was sent, before the console made its patience.
                sigint.get().run();
                end = listening.started(new Patience(client, command, null)).await();
            }
            assertNotNull(end.exit(), end.gaveUp());
            assertEquals("INT", end.exit().signal(), "the early Ctrl-C was passed on: " + end.exit());
            assertEquals(true, handlerClosed.get(), "the handler goes with the command");
        }
    }
}
