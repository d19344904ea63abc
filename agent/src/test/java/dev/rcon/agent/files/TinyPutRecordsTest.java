package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.flow.Windows;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Put;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window counts payload bytes only. A put's thread that cannot write (it waits to send its
 * credit while the console reads nothing) left every data record queued as it came: a record of
 * no bytes cost the agent about 80 bytes of heap and nothing of the window, so a console could
 * queue them without end, and one-byte records made the window's 4 MiB cost over 300 MiB; the
 * unit's agent (ExitOnOutOfMemoryError) died with every session.
 */
@Timeout(150)
class TinyPutRecordsTest {
    private static final int GETS = 8;
    private static final int TINY = 600_000;
    private static final int EMPTY = 600_000;

    @TempDir
    Path dir;

    @Test
    void tinyAndEmptyDataRecordsForAPutWhoseThreadWaitsCostTheAgentAboutWhatTheyCarry() throws Exception {
        Key key = TestKeys.fresh("tiny");
        Path log = dir.resolve("agent.log");
        Path big = dir.resolve("big");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), (8L << 20) - 1);
        }
        byte[] expected = new byte[Windows.GRANT_BATCH + TINY];
        for (int i = 0; i < TINY; i++) {
            expected[Windows.GRANT_BATCH + i] = (byte) (i * 31 + 7);
        }
        Path target = dir.resolve("target");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), log, "-Xmx24m",
                "-XX:+ExitOnOutOfMemoryError");
             TestClient client = TestClient.connect(agent.port(), key)) {
            // Gets fill what the agent may send, and the client reads nothing yet: the writer blocks.
            for (int id = 1; id <= GETS; id++) {
                client.send(new Get(id, big.toString()));
            }
            int put = GETS + 1;
            client.send(new Put(put, target.toString(), (long) expected.length, "0644"));
            // Enough for the put's thread to owe the console credit, which it cannot send.
            client.send(Data.chunk(put, new byte[Windows.GRANT_BATCH]));
            for (int i = 0; i < TINY; i++) {
                client.send(Data.chunk(put, new byte[] {expected[Windows.GRANT_BATCH + i]}));
            }
            byte[] none = new byte[0];
            for (int i = 0; i < EMPTY; i++) {
                client.send(Data.chunk(put, none));
            }
            client.send(Data.last(put, HexFormat.of().formatHex(Crypto.sha256(expected))));
            assertTrue(agent.process().isAlive(), Files.readString(log));

            // Now the client reads: the gets and the put end, the put with exactly its bytes.
            int ended = 0;
            Done putDone = null;
            while (ended < GETS + 1) {
                Message m = client.receive();
                if (m instanceof Done d) {
                    ended++;
                    if (d.id() == put) {
                        putDone = d;
                    }
                }
            }
            assertEquals(new Done(put, (long) expected.length, HexFormat.of().formatHex(Crypto.sha256(expected))),
                    putDone);
            assertArrayEquals(expected, Files.readAllBytes(target));
            client.send(new Ping(100));
            assertInstanceOf(Pong.class, client.receive());
        }
    }
}
