package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Stdin;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: the window bounds a channel's queued stdin in payload bytes only, so a console sent it
 * one byte per record to a command that never reads: each queued array cost about 30 bytes of
 * heap besides its byte, and a few channels' windows would have filled the unit's 256 MiB heap.
 */
@Timeout(120)
class TinyStdinRecordsTest {
    @TempDir
    Path dir;

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void stdinSentOneByteARecordCostsTheAgentAboutWhatItCarries() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.send(new Exec(1, "sleep 60", null, null, null, null, true));
            client.receive(); // started
            long before = usedAfterGc();
            byte[] one = {'x'};
            int n = 1 << 19;
            for (int i = 0; i < n; i++) {
                client.send(Stdin.bytes(1, one));
            }
            client.send(new Ping(9));
            while (!(client.receive() instanceof Pong)) {
                // window records, if any
            }
            long grown = usedAfterGc() - before;
            assertTrue(grown < 3L << 19, "512 KiB of queued stdin payload held " + (grown >> 10) + " KiB of heap");
        }
    }
}
