package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.SpecialFiles;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class CopyCommandsTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun rcon(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, 1);
        all[1] = "--host";
        all[2] = agent.address();
        all[3] = "--key";
        all[4] = agent.keyFile().toString();
        System.arraycopy(args, 1, all, 5, args.length - 1);
        return ConsoleRun.run(agent.dir(), "", all);
    }

    @Test
    void putThenGetRoundTripsBytesAndMode() throws Exception {
        byte[] bytes = new byte[200_000];
        new Random(3).nextBytes(bytes);
        Path local = Files.write(agent.dir().resolve("local.bin"), bytes);
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rwxr-x---"));
        Path remoteDir = Files.createDirectory(agent.dir().resolve("remote"));

        ConsoleRun put = rcon("put", local.toString(), remoteDir + "/");
        assertEquals(0, put.status(), put.err());
        assertTrue(put.out().startsWith(local + " -> " + agent.address() + ":" + remoteDir + "/local.bin (200000 bytes, sha256 "),
                put.out());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(remoteDir.resolve("local.bin"))));

        Path back = Files.createDirectory(agent.dir().resolve("back"));
        ConsoleRun get = rcon("get", remoteDir.resolve("local.bin").toString(), back.toString());
        assertEquals(0, get.status(), get.err());
        assertArrayEquals(bytes, Files.readAllBytes(back.resolve("local.bin")));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("local.bin"))));
    }

    @Test
    void putWithAModeSetsIt() throws Exception {
        Path local = Files.writeString(agent.dir().resolve("a.txt"), "hello\n");
        Path target = agent.dir().resolve("b.txt");
        assertEquals(0, rcon("put", "--mode", "0600", local.toString(), target.toString()).status());
        assertEquals("hello\n", Files.readString(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void missingPathsAreOneLineAnd255() throws Exception {
        Path local = Files.writeString(agent.dir().resolve("a.txt"), "x");
        ConsoleRun put = rcon("put", local.toString(), "/nope/dir/a.txt");
        assertEquals(255, put.status());
        assertEquals("rcon: no such directory: /nope/dir\n", put.err());
        ConsoleRun get = rcon("get", "/nope/file", agent.dir().toString());
        assertEquals(255, get.status());
        assertEquals("rcon: no such file: /nope/file\n", get.err());
        ConsoleRun noLocal = rcon("put", agent.dir().resolve("absent").toString(), "/tmp/x");
        assertEquals("rcon: " + agent.dir().resolve("absent") + ": no such file\n", noLocal.err());
        ConsoleRun aDirectory = rcon("put", agent.dir().toString(), "/tmp/x");
        assertEquals("rcon: " + agent.dir() + ": is a directory (put copies one file)\n", aDirectory.err());
    }

    @Test
    void getIntoALocalFifoIsRefusedAndTheFifoStays() throws Exception {
        Path remote = Files.writeString(agent.dir().resolve("remote.txt"), "data\n");
        Path fifo = SpecialFiles.fifo(agent.dir().resolve("local.fifo"));
        Map<String, Object> before = SpecialFiles.identity(fifo);
        ConsoleRun get = rcon("get", remote.toString(), fifo.toString());
        assertEquals(255, get.status());
        assertEquals("rcon: " + fifo + " is a FIFO; only a regular file can be replaced\n", get.err());
        assertEquals(before, SpecialFiles.identity(fifo));
        assertEquals(List.of(), staged());
    }

    @Test
    void getOntoALocalSymlinkIsRefusedAndNeitherLinkNorItsFileChange() throws Exception {
        Path remote = Files.writeString(agent.dir().resolve("remote.txt"), "data\n");
        Path victim = Files.writeString(agent.dir().resolve("victim"), "mine\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(agent.dir().resolve("link"), victim);
        ConsoleRun get = rcon("get", remote.toString(), link.toString());
        assertEquals(255, get.status());
        assertEquals("rcon: " + link + " is a symbolic link; only a regular file can be replaced (name the file it points"
                + " to instead)\n", get.err());
        assertEquals(victim, Files.readSymbolicLink(link));
        assertEquals("mine\n", Files.readString(victim));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(List.of(), staged());
    }

    private List<Path> staged() throws Exception {
        try (Stream<Path> files = Files.list(agent.dir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
