package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.common.msg.Exit;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every payload that goes out as a slice of a kept buffer (the agent's stdout, stderr and get
 * chunks; the console's put chunks and stdin) arrives byte-exact through a real agent and the
 * real console client, with a size that is no multiple of a chunk.
 */
@Timeout(60)
class SlicedPayloadRoundTripTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void stdoutStderrStdinPutAndGetArriveByteExact() throws Exception {
        byte[] data = new byte[(9 << 20) + 12_345];
        new Random(62).nextBytes(data);
        Path source = Files.write(dir.resolve("source.bin"), data);
        try (TestAgent agent = TestAgent.start(dir);
             RconClient client = RconClient.connect(Target.parse("127.0.0.1:" + agent.port()), agent.fleetKey(), TIMEOUT)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            OutputListener collect = new OutputListener() {
                @Override
                public synchronized void stdout(byte[] bytes) {
                    out.writeBytes(bytes);
                }

                @Override
                public synchronized void stderr(byte[] bytes) {
                    err.writeBytes(bytes);
                }
            };
            RemoteCommand both = client.exec(new ExecRequest("cat " + source + "; cat " + source + " >&2", null, null,
                    null, null, false), collect);
            Exit exit = both.awaitHost(TIMEOUT);
            assertNotNull(exit);
            assertEquals(0, exit.code());
            assertArrayEquals(data, out.toByteArray(), "stdout");
            assertArrayEquals(data, err.toByteArray(), "stderr");

            Path viaStdin = dir.resolve("via-stdin.bin");
            RemoteCommand cat = client.exec(new ExecRequest("sleep 0.5; cat > " + viaStdin, null, null, null, null, true),
                    OutputListener.DISCARD);
            // First a piece larger than a record's 1 MiB payload, which stdin() must split into
            // records (it once sent what the window allowed, up to 4 MiB, as one); then pieces of a
            // prime size against a 4 MiB window that a sleeping reader leaves unreturned: the
            // window runs out inside a piece, whose rest then goes out as a slice at an offset.
            int first = (2 << 20) + 7;
            cat.stdin(java.util.Arrays.copyOf(data, first));
            for (int off = first; off < data.length; off += 65_521) {
                cat.stdin(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 65_521)));
            }
            cat.closeStdin();
            Exit catExit = cat.awaitHost(TIMEOUT);
            assertNotNull(catExit);
            assertEquals(0, catExit.code());
            assertArrayEquals(data, Files.readAllBytes(viaStdin), "stdin");

            Path put = dir.resolve("put.bin");
            assertEquals(data.length, client.put(source, put.toString(), "0600").size());
            assertArrayEquals(data, Files.readAllBytes(put), "put");

            Path got = dir.resolve("got.bin");
            assertEquals(data.length, client.get(put.toString(), got).size());
            assertArrayEquals(data, Files.readAllBytes(got), "get");
        }
    }
}
