package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Stdout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console that reads slowly must not make the agent buffer: the agent here has a 48 MiB heap
 * and the command produces 1 GiB, read with pauses. Buffering would end in OutOfMemoryError.
 */
@Timeout(180)
class BackpressureTest {
    @TempDir
    Path dir;

    @Test
    void aSlowReaderOfAGibibyteLeavesTheAgentHeapBounded() throws Exception {
        Key key = TestKeys.fresh("slow");
        Path log = dir.resolve("agent.log");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), log, "-Xmx48m",
                "-XX:+ExitOnOutOfMemoryError");
             TestClient client = TestClient.connect(agent.port(), key)) {
            long size = 1L << 30;
            client.send(Exec.shell(1, "head -c " + size + " /dev/zero"));
            long received = 0;
            long nextPause = 8L << 20;
            Exit exit = null;
            while (exit == null) {
                Message m = client.receive();
                if (m instanceof Stdout s) {
                    received += s.payload().length;
                    if (received >= nextPause && nextPause <= (64L << 20)) {
                        // The pauses let the agent's pump and the kernel buffers fill up.
                        Thread.sleep(1000);
                        nextPause *= 2;
                    }
                } else if (m instanceof Exit e) {
                    exit = e;
                }
            }
            assertEquals(size, received);
            assertEquals(0, exit.code());
            assertTrue(agent.process().isAlive(), Files.readString(log));
        }
    }
}
