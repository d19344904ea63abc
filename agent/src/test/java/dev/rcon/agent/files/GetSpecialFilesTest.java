package dev.rcon.agent.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.SpecialFiles;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.FileModes;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.wire.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code get} of what is not a plain regular file (V4): FIFOs, devices and sockets are refused
 * at once without blocking anything; pseudo files arrive with what they really hold; a file
 * that changes size while streamed fails instead of arriving different from its announcement.
 */
@Timeout(60)
class GetSpecialFilesTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    /** What a get brought: the file record, the bytes, and done or error. */
    private record Got(FileInfo info, byte[] bytes, Message end) {
    }

    private static Got get(TestClient client, int id, String path) throws Exception {
        client.send(new Get(id, path));
        Message m = client.receive();
        if (!(m instanceof FileInfo info)) {
            return new Got(null, new byte[0], m);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while ((m = client.receive()) instanceof Data d) {
            bytes.writeBytes(d.payload());
        }
        return new Got(info, bytes.toByteArray(), m);
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Crypto.sha256(bytes));
    }

    private static void assertComplete(Got got) {
        assertEquals(got.bytes().length, got.info().size());
        assertEquals(new Done(got.info().id(), got.bytes().length, sha256(got.bytes())), got.end());
    }

    private static void assertNotRegular(TestClient client, int id, String shown, String kind, String path) throws Exception {
        assertEquals(new ErrorReply(id, ErrorCode.BAD_REQUEST, shown + " is " + kind + ", not a regular file"),
                get(client, id, path).end());
    }

    @Test
    void getOfAFifoIsRefusedAtOnceAndTheSessionGoesOn() throws Exception {
        Path fifo = SpecialFiles.fifo(agent.dir().resolve("pipe"));
        Path link = Files.createSymbolicLink(agent.dir().resolve("to-pipe"), fifo);
        Path file = Files.writeString(agent.dir().resolve("plain.txt"), "still here\n");
        try (TestClient client = agent.get().connect()) {
            assertNotRegular(client, 1, fifo.toString(), "a FIFO", fifo.toString());
            assertNotRegular(client, 2, link + " (" + fifo + ")", "a FIFO", link.toString());
            client.send(new Ping(3));
            assertInstanceOf(Pong.class, client.receive());
            Got plain = get(client, 4, file.toString());
            assertComplete(plain);
            assertEquals("still here\n", new String(plain.bytes(), UTF_8));
        }
    }

    @Test
    void devicesAndSocketsAreRefused() throws Exception {
        Path link = Files.createSymbolicLink(agent.dir().resolve("zero"), Path.of("/dev/zero"));
        Path sock = agent.dir().resolve("sock");
        try (TestClient client = agent.get().connect(); ServerSocketChannel server = SpecialFiles.socket(sock)) {
            assertNotRegular(client, 1, "/dev/zero", "a character device", "/dev/zero");
            assertNotRegular(client, 2, "/dev/null", "a character device", "/dev/null");
            assertNotRegular(client, 3, link + " (/dev/zero)", "a character device", link.toString());
            assertNotRegular(client, 4, sock.toString(), "a socket", sock.toString());
            assertTrue(server.isOpen());
        }
    }

    @Test
    void procFilesArriveWithTheirRealContent() throws Exception {
        try (TestClient client = agent.get().connect()) {
            Got version = get(client, 1, "/proc/version");
            assertComplete(version);
            assertTrue(version.bytes().length > 0);
            assertArrayEquals(Files.readAllBytes(Path.of("/proc/version")), version.bytes());

            Got status = get(client, 2, "/proc/self/status");
            assertComplete(status);
            assertTrue(new String(status.bytes(), UTF_8).startsWith("Name:"), new String(status.bytes(), UTF_8));
        }
    }

    @Test
    void sysFilesArriveWithTheirRealSizeNotThePageTheyClaim() throws Exception {
        Path sys = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        Assumptions.assumeTrue(Files.isReadable(sys), "skipped: this kernel has no " + sys);
        byte[] real = Files.readAllBytes(sys);
        assertTrue(real.length < Files.size(sys), "a sysfs file claims a page: " + Files.size(sys));
        try (TestClient client = agent.get().connect()) {
            Got got = get(client, 1, sys.toString());
            assertComplete(got);
            assertArrayEquals(real, got.bytes());
        }
    }

    @Test
    void aPseudoFileBeyondTheCapIsAnIoErrorNamingIt() throws Exception {
        try (TestClient client = agent.get().connect()) {
            ErrorReply e = assertInstanceOf(ErrorReply.class, get(client, 1, "/proc/self/pagemap").end());
            assertEquals(ErrorCode.IO, e.code());
            assertEquals("/proc/self/pagemap holds more than 16 MiB though its size says 0 bytes; a file like that"
                    + " (/proc, /sys) is read whole, up to 16 MiB", e.message());
            client.send(new Ping(2));
            assertInstanceOf(Pong.class, client.receive());
        }
    }

    /** 16 MiB: far more than the socket buffers hold, so the agent is still sending when it changes. */
    private Path bigFile() throws Exception {
        Path file = agent.dir().resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        return file;
    }

    private static ErrorReply sendWhileChanging(TestClient client, Path file, long newLength) throws Exception {
        client.socket().setReceiveBufferSize(64 * 1024);
        client.send(new Get(1, file.toString()));
        assertEquals(new FileInfo(1, 16L << 20, FileModes.of(Files.getPosixFilePermissions(file))), client.receive());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(newLength);
        }
        Message m;
        while ((m = client.receive()) instanceof Data) {
            // Drained: only the end matters.
        }
        return assertInstanceOf(ErrorReply.class, m);
    }

    @Test
    void aFileThatGrowsWhileSentFails() throws Exception {
        Path file = bigFile();
        try (TestClient client = agent.get().connect()) {
            assertEquals(new ErrorReply(1, ErrorCode.IO, "get " + file + ": the file grew while it was being sent (beyond its "
                    + (16 << 20) + " bytes)"), sendWhileChanging(client, file, 17L << 20));
        }
    }

    @Test
    void aFileThatShrinksWhileSentFails() throws Exception {
        Path file = bigFile();
        try (TestClient client = agent.get().connect()) {
            assertEquals(new ErrorReply(1, ErrorCode.IO, "get " + file + ": the file shrank while it was being sent ("
                    + (8 << 20) + " of " + (16 << 20) + " bytes)"), sendWhileChanging(client, file, 8L << 20));
        }
    }
}
