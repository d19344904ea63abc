package dev.rcon.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void writtenKeyIsPrivateAndReadsBack() throws Exception {
        Key key = Key.generate(new SecureRandom(), "ops@laptop");
        Path file = dir.resolve("sub/key");
        KeyFiles.writeKey(file, key, false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Key back = KeyFiles.readKey(file);
        assertTrue(back.sameKid(key.kid()));
        assertEquals("ops@laptop", back.name());
    }

    @Test
    void existingKeyIsNotOverwrittenWithoutForce() throws Exception {
        Path file = dir.resolve("key");
        KeyFiles.writeKey(file, Key.generate(new SecureRandom(), "a"), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyFiles.writeKey(file, Key.generate(new SecureRandom(), "b"), false));
        assertEquals(file + ": already exists; use --force to replace it", e.getMessage());
        KeyFiles.writeKey(file, Key.generate(new SecureRandom(), "b"), true);
        assertEquals("b", KeyFiles.readKey(file).name());
    }

    @Test
    void looseKeyFileIsRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("key");
        KeyFiles.writeKey(file, Key.generate(new SecureRandom(), "a"), false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.readKey(file));
        assertEquals(file + ": refusing a key file that group or others can read or write (mode rw-r--r--);"
                + " fix it with: chmod 600 " + file, e.getMessage());
    }

    @Test
    void malformedLinesSayWhichLineAndWhat() throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, "# mine\nrcon1 abc AAAA name\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.readKey(file));
        assertEquals(file + ":2: kid must be 32 lowercase hex digits but was 'abc'", e.getMessage());
    }

    @Test
    void keyLineErrorsNeverEchoThePsk() {
        String psk = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyLine.parse("rcon1 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf " + psk + " name"));
        assertFalse(e.getMessage().contains(psk), e.getMessage());
        assertEquals("expected a line starting with 'rcon1' but got 'ssh-ed25519'",
                assertThrows(IllegalArgumentException.class, () -> KeyLine.parse("ssh-ed25519 AAAA x")).getMessage());
        assertEquals("expected 'rcon1 KID PSK NAME' but the line has only 3 fields",
                assertThrows(IllegalArgumentException.class, () -> KeyLine.parse("rcon1 a b")).getMessage());
    }

    @Test
    void toStringNeverShowsThePsk() {
        Key key = Key.generate(new SecureRandom(), "n");
        assertFalse(key.toString().contains(java.util.Base64.getEncoder().encodeToString(key.psk())));
    }

    /** The user nobody: the "another user" of these tests. */
    private static final int NOBODY = 65534;

    private Path key(Path parent) throws Exception {
        Path file = parent.resolve("key");
        KeyFiles.writeKey(file, Key.generate(new SecureRandom(), "a"), true);
        return file;
    }

    private static String refused(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> KeyFiles.readKey(file)).getMessage();
    }

    private static void chown(Path path, int uid) throws Exception {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void assumeRoot() throws Exception {
        Assumptions.assumeTrue(PrivateFile.effectiveUid() == 0, "giving a file to another user (chown) needs root");
    }

    private static void chmod(Path path, String mode) throws Exception {
        Process p = new ProcessBuilder("chmod", mode, path.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void theTestsTempDirIsPrivateSoEachCaseBelowFailsForItsOwnReason() throws Exception {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode");
        assertEquals(0, mode & 0022, "@TempDir " + dir + " is " + PrivateFile.modeString(mode));
        assertEquals(PrivateFile.effectiveUid(), (int) (Integer) Files.getAttribute(dir, "unix:uid"));
    }

    @Test
    void theEffectiveUidIsTheOwnerOfAFileThisProcessCreates() throws Exception {
        Path mine = Files.createFile(dir.resolve("mine"));
        assertEquals(Files.getAttribute(mine, "unix:uid"), PrivateFile.effectiveUid());
        assertEquals(1000, PrivateFile.effectiveUid(List.of("Name:\tx", "Uid:\t0\t1000\t0\t1000", "Gid:\t0\t0\t0\t0")));
        assertEquals("cannot tell this process's effective uid: /proc/self/status has no 'Uid:' line",
                assertThrows(java.io.IOException.class, () -> PrivateFile.effectiveUid(List.of("Name:\tx"))).getMessage());
    }

    @Test
    void aKeyFileOwnedByAnotherUserIsRefused() throws Exception {
        assumeRoot();
        Path file = key(dir);
        chown(file, NOBODY);
        assertEquals(file + ": refusing a key file owned by uid 65534, who could change it; it must belong to root"
                + " (the user reading it); fix it with: chown root " + file, refused(file));
    }

    @Test
    void aKeyFileInADirectoryOwnedByAnotherUserIsRefused() throws Exception {
        assumeRoot();
        Path file = key(dir);
        chown(dir, NOBODY);
        assertEquals(file + ": refusing a key file in " + dir + ", a directory owned by uid 65534, who could replace"
                + " the file; it must belong to root (the user reading it); fix it with: chown root " + dir, refused(file));
    }

    @Test
    void aKeyFileInAWorldWritableDirectoryIsRefused() throws Exception {
        Path file = key(dir);
        chmod(dir, "0777");
        assertEquals(file + ": refusing a key file in " + dir + ", which group or others can write (mode rwxrwxrwx),"
                + " so they could replace the file; fix it with: chmod go-w " + dir, refused(file));
        chmod(dir, "0770");
        assertTrue(refused(file).contains("(mode rwxrwx---), so they could replace the file"), refused(file));
    }

    @Test
    void aKeyFileInAStickyWorldWritableDirectoryLikeTmpIsRefused() throws Exception {
        Path file = key(dir);
        chmod(dir, "1777");
        assertEquals(file + ": refusing a key file in " + dir + ", which group or others can write (mode rwxrwxrwt);"
                + " the sticky bit (as on /tmp) stops them replacing the file but not creating one under its name"
                + " while it is absent; move the key file to a directory only its owner can write", refused(file));
    }

    @Test
    void aKeyFileReachedThroughASymlinkIsRefusedEvenIfTheTargetIsPrivate() throws Exception {
        Path target = key(Files.createDirectory(dir.resolve("real")));
        Path link = Files.createSymbolicLink(dir.resolve("key"), target);
        assertEquals(link + ": refusing a key file that is a symbolic link; put the file itself there (for example:"
                + " cp --remove-destination \"$(readlink -f " + link + ")\" " + link + ")", refused(link));
        assertEquals("a", KeyFiles.readKey(target).name());
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(fifo + ": not a regular file", refused(fifo));
    }

    @Test
    void aNonRootReaderAcceptsItsOwnFilesAndRootsButNoOneElses() throws Exception {
        assumeRoot();
        Path sub = Files.createDirectory(dir.resolve("home"));
        Path file = key(sub);
        chown(sub, 1000);
        chown(file, 1000);
        assertEquals(1, PrivateFile.readLines(file, 1000).size());
        chown(file, 0);
        assertEquals(1, PrivateFile.readLines(file, 1000).size());
        chown(file, NOBODY);
        assertEquals(file + ": refusing a key file owned by uid 65534, who could change it; it must belong to uid 1000"
                + " (the user reading it) or root; fix it with: chown 1000 " + file,
                assertThrows(IllegalArgumentException.class, () -> PrivateFile.readLines(file, 1000)).getMessage());
        chown(file, 1000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrivateFile.readLines(file, 1001)).getMessage()
                .contains("a directory owned by uid 1000, who could replace the file; it must belong to uid 1001"));
    }

    @Test
    void aKeyIsNeverWrittenIntoADirectoryOthersCanWrite() throws Exception {
        chmod(dir, "1777");
        Path file = dir.resolve("key");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyFiles.writeKey(file, Key.generate(new SecureRandom(), "a"), false));
        assertTrue(e.getMessage().startsWith(file + ": refusing a key file in " + dir + ", which group or others"),
                e.getMessage());
        assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void writingOverASymlinkReplacesTheLinkNotItsTarget() throws Exception {
        Path target = Files.writeString(Files.createDirectory(dir.resolve("other")).resolve("precious"), "keep\n");
        Path link = Files.createSymbolicLink(dir.resolve("key"), target);
        KeyFiles.writeKey(link, Key.generate(new SecureRandom(), "b"), true);
        assertEquals("keep\n", Files.readString(target));
        assertEquals("b", KeyFiles.readKey(link).name());
    }

    @Test
    void anOversizedKeyFileIsRefusedBeforeParsing() throws Exception {
        Path file = key(dir);
        Files.write(file, new byte[PrivateFile.MAX_BYTES + 1]);
        assertEquals(file + ": larger than 1048576 bytes; a key file is a few lines", refused(file));
    }
}
