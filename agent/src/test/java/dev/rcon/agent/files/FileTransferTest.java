package dev.rcon.agent.files;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class FileTransferTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Crypto.sha256(bytes));
    }

    private static void upload(TestClient client, int id, Path path, byte[] bytes, String mode, String sha) throws Exception {
        client.send(new Put(id, path.toString(), (long) bytes.length, mode));
        for (int off = 0; off < bytes.length; off += Limits.CHUNK) {
            client.send(Data.chunk(id, Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + Limits.CHUNK))));
        }
        client.send(Data.last(id, sha));
    }

    private long tempFiles() throws Exception {
        try (Stream<Path> files = Files.list(agent.dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void putWritesTheFileWithItsModeAndGetReadsItBack() throws Exception {
        byte[] bytes = new byte[3 << 20];
        new Random(7).nextBytes(bytes);
        Path target = agent.dir().resolve("copy.bin");
        try (TestClient client = agent.get().connect()) {
            upload(client, 1, target, bytes, "0640", sha256(bytes));
            assertEquals(new Done(1, bytes.length, sha256(bytes)), client.receive());
            assertArrayEquals(bytes, Files.readAllBytes(target));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));

            client.send(new Get(2, target.toString()));
            assertEquals(new FileInfo(2, bytes.length, "0640"), client.receive());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Message m;
            while ((m = client.receive()) instanceof Data d) {
                assertTrue(d.payload().length <= Limits.CHUNK);
                got.writeBytes(d.payload());
            }
            assertEquals(new Done(2, bytes.length, sha256(bytes)), m);
            assertArrayEquals(bytes, got.toByteArray());
        }
        assertEquals(0, tempFiles());
    }

    @Test
    void aWrongChecksumLeavesTheTargetUntouchedAndNoTemporaryFile() throws Exception {
        Path target = Files.writeString(agent.dir().resolve("keep.txt"), "original");
        try (TestClient client = agent.get().connect()) {
            upload(client, 1, target, "replacement".getBytes(UTF_8), "0644", "0".repeat(64));
            ErrorReply e = (ErrorReply) client.receive();
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.message().startsWith("put 1: expected sha256 0000"), e.message());
        }
        assertEquals("original", Files.readString(target));
        assertEquals(0, tempFiles());
    }

    @Test
    void moreBytesThanAnnouncedIsRefused() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(new Put(1, agent.dir().resolve("f").toString(), 2L, "0644"));
            client.send(Data.chunk(1, new byte[3]));
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, "put 1: expected 2 bytes but got at least 3"), client.receive());
        }
        assertEquals(0, tempFiles());
    }

    /**
     * The temporary directory was named after the target with 47 bytes more, so a target whose
     * name was longer than 208 bytes could not be put: "File name too long", about a name the
     * console never gave.
     */
    @Test
    void aTargetWhoseNameNearlyFillsTheLongestFileNameCanBePut() throws Exception {
        Path target = agent.dir().resolve("n".repeat(250));
        byte[] bytes = "long name\n".getBytes(UTF_8);
        try (TestClient client = agent.get().connect()) {
            upload(client, 1, target, bytes, "0640", sha256(bytes));
            assertEquals(new Done(1, (long) bytes.length, sha256(bytes)), client.receive());
        }
        assertArrayEquals(bytes, Files.readAllBytes(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(0, tempFiles());
    }

    /**
     * Found using the product: a put into /proc/sys/kernel said "no such directory" of a directory
     * that exists, as procfs answers ENOENT to making any new name in it.
     */
    @Test
    void aDirectoryThatExistsButTakesNoNewFilesIsNotCalledMissing() throws Exception {
        Path dir = Path.of("/proc/sys/kernel");
        // Only root gets as far as the file system's answer; others are refused by the mode (0555).
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir) && "root".equals(System.getProperty("user.name")),
                "needs root and /proc/sys/kernel");
        try (TestClient client = agent.get().connect()) {
            client.send(new Put(1, dir.resolve("rcon-test").toString(), 1L, "0644"));
            assertEquals(new ErrorReply(1, ErrorCode.IO, "cannot write in /proc/sys/kernel: its file system makes no new"
                    + " files there (no such file or directory)"), client.receive());
        }
    }

    @Test
    void missingDirectoriesAndFilesAreNotFound() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(new Put(1, "/nope/at/all/f", 1L, "0644"));
            assertEquals(new ErrorReply(1, ErrorCode.NOT_FOUND, "no such directory: /nope/at/all"), client.receive());
            client.send(new Get(2, "/nope/file"));
            assertEquals(new ErrorReply(2, ErrorCode.NOT_FOUND, "no such file: /nope/file"), client.receive());
            client.send(new Get(3, agent.dir().toString()));
            assertEquals(new ErrorReply(3, ErrorCode.BAD_REQUEST, agent.dir() + " is a directory, not a regular file"),
                    client.receive());
        }
    }

    @Test
    void anUnfinishedPutLeavesNothingBehindWhenTheSessionEnds() throws Exception {
        Path target = agent.dir().resolve("half");
        try (TestClient client = agent.get().connect().withholdWindows()) {
            client.send(new Put(1, target.toString(), 1L << 20, "0644"));
            client.send(Data.chunk(1, new byte[dev.rcon.common.flow.Windows.GRANT_BATCH]));
            // Credit comes back only once the put's thread has written the bytes to its temporary file.
            assertInstanceOf(dev.rcon.common.msg.Window.class, client.receive());
            assertEquals(1, tempFiles());
            client.send(new dev.rcon.common.msg.Close());
            assertInstanceOf(dev.rcon.common.msg.Close.class, client.receive());
        }
        assertEquals(0, tempFiles());
        assertTrue(Files.notExists(target));
    }

    /**
     * A path the JDK cannot turn into a file name (here a lone surrogate, which JSON's \\u escape
     * can carry; on an agent without a UTF-8 locale, any non-ASCII character) threw out of the
     * transfer's thread: the console never heard of its put or get.
     */
    @Test
    void aPathTheHostCannotNameIsABadRequestForPutAndGetAndTheSessionGoesOn() throws Exception {
        String path = agent.dir() + "/x\\udc80";
        String expected = "path " + agent.dir() + "/x\\uDC80 cannot be a file name on this host: Malformed input or"
                + " input contains unmappable characters (the agent's file names are "
                + System.getProperty("sun.jnu.encoding") + ")";
        try (TestClient client = agent.get().connect()) {
            client.sendHeader("{\"type\":\"put\",\"id\":1,\"path\":\"" + path + "\",\"size\":0,\"mode\":\"0644\"}");
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, expected), client.receive());
            client.sendHeader("{\"type\":\"get\",\"id\":2,\"path\":\"" + path + "\"}");
            assertEquals(new ErrorReply(2, ErrorCode.BAD_REQUEST, expected), client.receive());
            byte[] bytes = "still here\n".getBytes(UTF_8);
            upload(client, 3, agent.dir().resolve("after"), bytes, "0644", sha256(bytes));
            assertInstanceOf(Done.class, client.receive());
        }
        assertEquals(0, tempFiles());
    }
}
