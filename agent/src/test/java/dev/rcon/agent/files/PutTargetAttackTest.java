package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.SpecialFiles;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.Unprivileged;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Put;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.common.wire.Limits;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on {@code put} by whoever owns the target's directory (V1), and puts onto targets
 * that are not regular files (V11): the agent, running as root, must never follow a link,
 * chmod or replace anything but the file it wrote.
 */
@Timeout(60)
class PutTargetAttackTest {
    private static final String ONLY_REGULAR = "; only a regular file can be replaced";

    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private final byte[] bytes = new byte[2 * Limits.CHUNK];

    PutTargetAttackTest() {
        new Random(11).nextBytes(bytes);
    }

    private String sha256() {
        return HexFormat.of().formatHex(Crypto.sha256(bytes));
    }

    /** Starts a put of {@link #bytes} and sends its first half; returns once the agent has written it. */
    private void firstHalf(TestClient client, Path target) throws Exception {
        client.send(new Put(1, target.toString(), (long) bytes.length, "0644"));
        client.send(Data.chunk(1, Arrays.copyOf(bytes, Limits.CHUNK)));
        client.send(new Ping(2));
        assertInstanceOf(Pong.class, client.receive());
        // The pong says only that the reader queued the half; the put's own thread stages and writes it.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!halfWritten(target.getParent())) {
            assertTrue(System.nanoTime() < deadline, "the put's first half was not staged within 10 s");
            Thread.sleep(5);
        }
    }

    private static boolean halfWritten(Path dir) throws Exception {
        List<Path> staged = staged(dir);
        Path data = staged.size() == 1 ? staged.get(0).resolve("data") : null;
        return data != null && Files.isRegularFile(data, LinkOption.NOFOLLOW_LINKS) && Files.size(data) == Limits.CHUNK;
    }

    private Message lastHalf(TestClient client) throws Exception {
        client.send(Data.chunk(1, Arrays.copyOfRange(bytes, Limits.CHUNK, bytes.length)));
        client.send(Data.last(1, sha256()));
        return client.receive();
    }

    /** A root-owned 0600 file no one else may read: what the attacker is after. */
    private Path victim() throws Exception {
        Path victim = Files.writeString(agent.dir().resolve("victim"), "secret\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        return victim;
    }

    private void assertUntouched(Path victim) throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals("secret\n", Files.readString(victim));
    }

    private static List<Path> staged(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void stagingSwappedForASymlinkToARootFileDuringPutNeverChmodsIt() throws Exception {
        Unprivileged.assumeAvailable();
        Path home = Unprivileged.home(agent.dir(), "home");
        Path victim = victim();
        Path target = home.resolve("upload.bin");
        try (TestClient client = agent.get().connect()) {
            firstHalf(client, target);
            Path staging = staged(home).get(0);
            // The attacker owns the directory: they move what the agent staged and plant a link.
            Unprivileged.Result swap = Unprivileged.run("cd " + home + " && mv " + staging.getFileName() + " moved && ln -s "
                    + victim + " " + staging.getFileName());
            assertEquals(0, swap.status(), swap.err());
            Unprivileged.Result peek = Unprivileged.run("ls -A " + home.resolve("moved"));

            Message e = lastHalf(client);
            assertUntouched(victim);
            assertEquals(new ErrorReply(1, ErrorCode.IO, staging + " was moved or replaced while in use (someone else can"
                    + " write in " + home + "); " + target + " was left as it was"), e);
            // The bytes were in a directory the attacker could move but not enter.
            assertEquals(2, peek.status(), peek.out());
            assertTrue(peek.err().contains("Permission denied"), peek.err());
        }
        assertTrue(Files.notExists(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals(victim, Files.readSymbolicLink(staged(home).get(0)));
    }

    @Test
    void targetReplacedBySymlinkDuringPutIsNotRenamedOver() throws Exception {
        Unprivileged.assumeAvailable();
        Path home = Unprivileged.home(agent.dir(), "home");
        Path victim = victim();
        Path target = home.resolve("upload.bin");
        try (TestClient client = agent.get().connect()) {
            firstHalf(client, target);
            Unprivileged.Result plant = Unprivileged.run("ln -s " + victim + " " + target);
            assertEquals(0, plant.status(), plant.err());

            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, target + " is a symbolic link" + ONLY_REGULAR
                    + " (name the file it points to instead)"), lastHalf(client));
        }
        assertUntouched(victim);
        assertEquals(victim, Files.readSymbolicLink(target));
        assertEquals(List.of(), staged(home));
    }

    /**
     * A link as the last component was refused, but one a component earlier was followed: the
     * owner of a home made .ssh a link to root's, and a put of the user's authorized_keys (an
     * operator's everyday push) replaced root's authorized_keys with the user's key.
     */
    @Test
    void aLinkOnTheWayMadeByTheOwnerOfADirectoryAboveIsNotFollowed() throws Exception {
        Unprivileged.assumeAvailable();
        Path home = Unprivileged.home(agent.dir(), "home");
        Path rootSsh = Files.createDirectory(agent.dir().resolve("root-ssh"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path rootKeys = Files.writeString(rootSsh.resolve("authorized_keys"), "root's own key\n");
        Unprivileged.Result plant = Unprivileged.run("ln -s " + rootSsh + " " + home.resolve(".ssh"));
        assertEquals(0, plant.status(), plant.err());
        Path link = home.resolve(".ssh");
        try (TestClient client = agent.get().connect()) {
            client.send(new Put(1, link.resolve("authorized_keys").toString(), (long) bytes.length, "0600"));
            client.send(Data.chunk(1, bytes));
            client.send(Data.last(1, sha256()));
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, link + " is a symbolic link owned by uid "
                    + Unprivileged.UID + "; files are written as root, which follows only root's links on the way"
                    + " (name the directory it points to, if that is really meant)"), client.receive());

            // A link root made on the way (relative, here) is followed as before.
            Path rootsLink = Files.createSymbolicLink(agent.dir().resolve("roots-link"), rootSsh.getFileName());
            client.send(new Put(2, rootsLink.resolve("other").toString(), (long) bytes.length, "0600"));
            client.send(Data.chunk(2, bytes));
            client.send(Data.last(2, sha256()));
            assertInstanceOf(Done.class, client.receive());
        }
        assertEquals("root's own key\n", Files.readString(rootKeys));
        assertTrue(Arrays.equals(bytes, Files.readAllBytes(rootSsh.resolve("other"))));
        assertEquals(List.of(), staged(rootSsh));
    }

    @Test
    void putIntoAnotherUsersDirectoryStillWorks() throws Exception {
        Unprivileged.assumeAvailable();
        Path home = Unprivileged.home(agent.dir(), "home");
        Path target = home.resolve("upload.bin");
        try (TestClient client = agent.get().connect()) {
            firstHalf(client, target);
            client.send(Data.chunk(1, Arrays.copyOfRange(bytes, Limits.CHUNK, bytes.length)));
            client.send(Data.last(1, sha256()));
            assertEquals(new Done(1, bytes.length, sha256()), client.receive());
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(0, Files.getAttribute(target, "unix:uid"));
        assertEquals(List.of(), staged(home));
    }

    /** Puts onto {@code node} and checks it is refused with {@code kind} and left exactly as it was. */
    private void assertRefusedAndUnchanged(Path node, String kind) throws Exception {
        Map<String, Object> before = SpecialFiles.identity(node);
        try (TestClient client = agent.get().connect()) {
            client.send(new Put(1, node.toString(), 1L, "0644"));
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, node + " is " + kind + ONLY_REGULAR), client.receive());
        }
        assertEquals(before, SpecialFiles.identity(node));
        assertEquals(List.of(), staged(node.getParent()));
    }

    @Test
    void putOntoAFifoIsRefusedAndTheFifoStays() throws Exception {
        assertRefusedAndUnchanged(SpecialFiles.fifo(agent.dir().resolve("pipe")), "a FIFO");
    }

    @Test
    void putOntoACharacterDeviceIsRefusedAndTheNodeStays() throws Exception {
        assertRefusedAndUnchanged(SpecialFiles.charDevice(agent.dir().resolve("null"), 1, 3), "a character device");
    }

    @Test
    void putOntoASocketIsRefusedAndTheSocketStays() throws Exception {
        Path path = agent.dir().resolve("sock");
        try (ServerSocketChannel server = SpecialFiles.socket(path)) {
            assertRefusedAndUnchanged(path, "a socket");
            assertTrue(server.isOpen());
        }
    }

    @Test
    void putOntoASymlinkIsRefusedAndNeitherLinkNorFileChange() throws Exception {
        Path victim = victim();
        Path link = Files.createSymbolicLink(agent.dir().resolve("link"), victim);
        Map<String, Object> before = SpecialFiles.identity(link);
        try (TestClient client = agent.get().connect()) {
            client.send(new Put(1, link.toString(), 1L, "0644"));
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, link + " is a symbolic link" + ONLY_REGULAR
                    + " (name the file it points to instead)"), client.receive());
        }
        assertEquals(before, SpecialFiles.identity(link));
        assertEquals(victim, Files.readSymbolicLink(link));
        assertUntouched(victim);
    }

    @Test
    void targetTurnedIntoAFifoDuringPutIsNotRenamedOver() throws Exception {
        Path target = agent.dir().resolve("upload.bin");
        try (TestClient client = agent.get().connect()) {
            firstHalf(client, target);
            SpecialFiles.fifo(target);
            assertEquals(new ErrorReply(1, ErrorCode.BAD_REQUEST, target + " is a FIFO" + ONLY_REGULAR), lastHalf(client));
        }
        assertFalse(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), staged(agent.dir()));
    }
}
