package dev.rcon.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class AuthorizedKeysTest {
    @TempDir
    Path dir;

    private Path file(String text, String mode) throws Exception {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private String error(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> AuthorizedKeys.load(file)).getMessage();
    }

    @Test
    void keysCommentsAndBlankLinesLoad() throws Exception {
        Key a = TestKeys.fresh("a");
        Key b = TestKeys.fresh("b c");
        AuthorizedKeys keys = AuthorizedKeys.load(file("# ops\n\n" + KeyLine.format(a) + "\n  " + KeyLine.format(b) + "\n", "rw-------"));
        assertEquals(2, keys.size());
        assertEquals("b c", keys.find(b.kid()).orElseThrow().name());
        assertTrue(keys.find(TestKeys.fresh("x").kid()).isEmpty());
    }

    @Test
    void aFileOthersCanReadIsRefusedNamingFileAndReason() throws Exception {
        Path f = file("", "rw-r--r--");
        assertEquals(f + ": refusing a key file that group or others can read or write (mode rw-r--r--);"
                + " fix it with: chmod 600 " + f, error(f));
        Path g = file("", "rw--w----");
        assertTrue(error(g).contains("group or others can read or write"));
    }

    @Test
    void optionsBeforeTheKeyAreRefusedUntilDesigned() throws Exception {
        Path f = file("from=10.0.0.0/8 " + KeyLine.format(TestKeys.fresh("a")) + "\n", "rw-------");
        assertEquals(f + ":1: options before the key ('from=10.0.0.0/8') are not supported yet", error(f));
    }

    @Test
    void malformedLinesNameFileLineAndProblem() throws Exception {
        Path f = file("# x\nrcon1 zz AAAA n\n", "rw-------");
        assertEquals(f + ":2: kid must be 32 lowercase hex digits but was 'zz'", error(f));
        Path g = file("ssh-rsa AAAA me\n", "rw-------");
        assertEquals(g + ":1: expected a line starting with 'rcon1' but got 'ssh-rsa'", error(g));
    }

    @Test
    void theSameKeyTwiceIsAnError() throws Exception {
        String line = KeyLine.format(TestKeys.fresh("a"));
        Path f = file(line + "\n" + line + "\n", "rw-------");
        assertTrue(error(f).startsWith(f + ":2: key "), error(f));
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("nope");
        assertEquals(f + ": no such file", error(f));
    }
}
