package dev.rcon.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
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
}
