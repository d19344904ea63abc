package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.wire.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pseudo files are read whole before their size is announced, and a get keeps what it read until
 * the console took it. A console that asked for /proc/kallsyms (megabytes, though its size says 0)
 * on many channels and withheld its window made the agent hold all of it: with the unit's flags
 * (ExitOnOutOfMemoryError) the agent died, and every other session with it.
 */
@Timeout(120)
class GetMemoryTest {
    @TempDir
    Path dir;

    @Test
    void manyGetsOfALargePseudoFileNeverRunTheAgentOutOfMemory() throws Exception {
        long kallsyms;
        try (InputStream in = Files.newInputStream(Path.of("/proc/kallsyms"))) {
            kallsyms = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        Assumptions.assumeTrue(kallsyms >= (2 << 20) && kallsyms <= SourceFile.MAX_READ_WHOLE,
                "needs a /proc/kallsyms of 2 to 16 MiB, this one holds " + kallsyms + " bytes");
        Key key = TestKeys.fresh("greedy");
        Path log = dir.resolve("agent.log");
        int gets = 24;
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), log, "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError");
             TestClient greedy = TestClient.connect(agent.port(), key).withholdWindows()) {
            for (int id = 1; id <= gets; id++) {
                greedy.send(new Get(id, "/proc/kallsyms"));
            }
            // Each get answers file (then waits for window with what it read) or error.
            Map<Integer, Message> answers = new HashMap<>();
            while (answers.size() < gets) {
                Message m = greedy.receive();
                if (m instanceof FileInfo || m instanceof ErrorReply) {
                    answers.put(m.requestId(), m);
                }
            }
            ErrorReply busy = (ErrorReply) answers.values().stream().filter(ErrorReply.class::isInstance).findFirst()
                    .orElseThrow(() -> new AssertionError("every get holds kallsyms at once: " + answers));
            assertEquals(new ErrorReply(busy.id(), ErrorCode.BUSY, "/proc/kallsyms is read whole (its size, 0 bytes,"
                    + " says nothing of what it holds), and files read so already hold the 32 MiB the agent keeps for"
                    + " them; try again when other gets have finished"), busy);
            assertTrue(answers.values().stream().anyMatch(FileInfo.class::isInstance), answers.toString());

            assertTrue(agent.process().isAlive(), Files.readString(log));
            try (TestClient other = TestClient.connect(agent.port(), key)) {
                other.send(new Ping(1));
                assertInstanceOf(Pong.class, other.receive());
                Path small = Files.writeString(dir.resolve("small"), "still served\n");
                other.send(new Get(2, small.toString()));
                assertInstanceOf(FileInfo.class, other.receive());
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                Message m;
                while ((m = other.receive()) instanceof Data d) {
                    got.writeBytes(d.payload());
                }
                assertInstanceOf(Done.class, m);
                assertArrayEquals(Files.readAllBytes(small), got.toByteArray());
            }
        }
    }
}
