package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdin;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot run from a script forwards its stdin (whatever it is) and sends its eof at once;
 * the command may then run for hours. Once its stdin has ended it can hold no input, so it must
 * not keep one of the agent's few input slots (30 under the unit's heap) until it exits.
 */
@Timeout(60)
class InputSlotAfterStdinEndsTest {
    @TempDir
    Path dir;

    @Test
    void aCommandWhoseStdinHasEndedGivesItsInputSlotBackWhileItStillRuns() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withInputBufferMb(4));
             TestClient client = agent.connect()) {
            client.send(new Exec(1, "sleep 30", null, null, null, null, true));
            assertInstanceOf(Started.class, client.receive());
            client.send(Stdin.eof(1));
            // The eof reaches the command on its stdin writer's thread: give it a moment.
            long deadline = System.nanoTime() + 5_000_000_000L;
            for (int id = 2; ; id++) {
                client.send(new Exec(id, "cat", null, null, null, null, true));
                Message m = client.receive();
                if (m instanceof Started) {
                    client.send(Stdin.eof(id));
                    assertEquals(0, client.collect(id).exit().code());
                    break;
                }
                assertEquals(ErrorCode.BUSY, ((ErrorReply) m).code(), m.toString());
                assertTrue(System.nanoTime() < deadline, "the command whose stdin ended still holds the only slot");
                Thread.sleep(20);
            }
        }
    }
}
