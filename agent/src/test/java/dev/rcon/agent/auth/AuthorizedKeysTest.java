package dev.rcon.agent.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
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
    void optionsBeforeTheKeyAreReadWithQuotedCommasAndSpaces() throws Exception {
        Key a = TestKeys.fresh("a");
        Path f = file("from=\"10.0.0.0/8,::1\",command=\"echo \\\"hi, there\\\" rcon1 x\",no-files,no-pty,"
                + "expires=2030-01-31 " + KeyLine.format(a) + "\n", "rw-------");
        KeyOptions o = AuthorizedKeys.load(f).options(a);
        assertEquals(2, o.from().size());
        assertEquals("echo \"hi, there\" rcon1 x", o.command());
        assertTrue(o.noFiles() && o.noPty());
        assertEquals(java.time.LocalDate.of(2030, 1, 31), o.expires());
    }

    /** Today's local date loads the time-zone rules, which an agent then keeps: only an expiring key asks it. */
    @Test
    void onlyAKeyWithAnExpiryDateAsksForTodaysDate() throws Exception {
        Key plain = TestKeys.fresh("plain");
        Key expiring = TestKeys.fresh("expiring");
        AuthorizedKeys keys = AuthorizedKeys.load(file(KeyLine.format(plain) + "\nexpires=2030-01-31 "
                + KeyLine.format(expiring) + "\n", "rw-------"));
        InetAddress peer = InetAddress.getLoopbackAddress();
        List<String> asked = new ArrayList<>();
        Supplier<LocalDate> today = () -> {
            asked.add("today");
            return LocalDate.of(2030, 1, 31);
        };
        assertTrue(keys.find(plain.kid(), peer, today).isPresent());
        assertEquals(List.of(), asked);
        assertTrue(keys.find(expiring.kid(), peer, today).isPresent());
        assertTrue(keys.find(expiring.kid(), peer, () -> LocalDate.of(2030, 2, 1)).isEmpty());
        assertEquals(List.of("today"), asked);
    }

    @Test
    void unknownBadOrRepeatedOptionsRefuseTheFileNamingTheLine() throws Exception {
        String line = KeyLine.format(TestKeys.fresh("a"));
        assertEquals(dir.resolve("authorized_keys") + ":2: unknown option 'permit-all' (known: from=, command=,"
                + " user=, no-files, no-pty, no-keys, manage-keys, expires=)", error(file("# c\npermit-all " + line + "\n", "rw-------")));
        assertTrue(error(file("no-pty,no-pty " + line + "\n", "rw-------")).endsWith(":1: option 'no-pty' is given twice"));
        for (String notWhole : List.of("web01", "10.1", "cafe", "10.0.0.256", "010.0.0.1/8")) {
            // The JDK reads "10.1" as 10.0.0.1 and looks "cafe" up by name.
            assertTrue(error(file("from=" + notWhole + " " + line + "\n", "rw-------"))
                    .endsWith(":1: option 'from' takes whole IPv4 or IPv6 addresses and prefixes (10.1.0.0/16),"
                            + " not names or short forms: '" + notWhole + "'"), notWhole);
        }
        assertTrue(error(file("from=10.0.0.0/33 " + line + "\n", "rw-------"))
                .endsWith(":1: option 'from' has a bad prefix length in '10.0.0.0/33'"));
        assertTrue(error(file("expires=tomorrow " + line + "\n", "rw-------"))
                .endsWith(":1: option 'expires' must be a date YYYY-MM-DD but was 'tomorrow'"));
        assertTrue(error(file("no-files=yes " + line + "\n", "rw-------")).endsWith(":1: option 'no-files' takes no value"));
        assertTrue(error(file("command=\"open " + line + "\n", "rw-------"))
                .endsWith(":1: expected a line with 'rcon1 KID PSK NAME' but got 'command=\"open'"));
    }

    @Test
    void malformedLinesNameFileLineAndProblem() throws Exception {
        Path f = file("# x\nrcon1 zz AAAA n\n", "rw-------");
        assertEquals(f + ":2: kid must be 32 lowercase hex digits but was 'zz'", error(f));
        Path g = file("ssh-rsa AAAA me\n", "rw-------");
        assertEquals(g + ":1: expected a line with 'rcon1 KID PSK NAME' but got 'ssh-rsa'", error(g));
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

    @Test
    void aFileOwnedByAnotherUserIsRefusedNamingTheFix() throws Exception {
        TestKeys.assumeRoot();
        Path f = TestKeys.authorizedKeys(dir, TestKeys.fresh("a"));
        TestKeys.chown(f, TestKeys.NOBODY);
        assertEquals(f + ": refusing a key file owned by uid 65534, who could change it; it must belong to root"
                + " (the user reading it); fix it with: chown root " + f, error(f));
    }

    @Test
    void aFileInAWorldWritableDirectoryIsRefusedNamingTheFix() throws Exception {
        Path f = TestKeys.authorizedKeys(dir, TestKeys.fresh("a"));
        TestKeys.chmod(dir, "0777");
        assertEquals(f + ": refusing a key file in " + dir + ", which group or others can write (mode rwxrwxrwx),"
                + " so they could replace the file; fix it with: chmod go-w " + dir, error(f));
        TestKeys.chmod(dir, "1777");
        assertEquals(f + ": refusing a key file in " + dir + ", which group or others can write (mode rwxrwxrwt);"
                + " the sticky bit (as on /tmp) stops them replacing the file but not creating one under its name"
                + " while it is absent; move the key file to a directory only its owner can write", error(f));
    }

    @Test
    void aFileReachedThroughASymlinkIsRefused() throws Exception {
        Path real = TestKeys.authorizedKeys(Files.createDirectory(dir.resolve("real")), TestKeys.fresh("a"));
        Path link = Files.createSymbolicLink(dir.resolve("authorized_keys"), real);
        assertEquals(link + ": refusing a key file that is a symbolic link; put the file itself there (for example:"
                + " cp --remove-destination \"$(readlink -f " + link + ")\" " + link + ")", error(link));
        assertEquals(1, AuthorizedKeys.load(real).size());
    }

    @Test
    void manageKeysCannotGoWithALimitingOption() throws Exception {
        String line = KeyLine.format(TestKeys.fresh("a"));
        for (String limit : new String[] {"no-files", "no-pty", "no-keys", "command=\"x\""}) {
            String name = limit.contains("=") ? limit.substring(0, limit.indexOf('=')) : limit;
            assertTrue(error(file("manage-keys," + limit + " " + line + "\n", "rw-------")).endsWith(":1: option"
                    + " 'manage-keys' cannot go with '" + name + "': a key that manages keys can give itself any key,"
                    + " so it must be a full key"), limit);
        }
        Path ok = file("from=\"10.0.0.0/8\",expires=2099-01-01,manage-keys " + line + "\n", "rw-------");
        assertTrue(AuthorizedKeys.load(ok).entries().get(0).options().manageKeys());
        assertTrue(error(file("user=Bad! " + line + "\n", "rw-------"))
                .endsWith(":1: option 'user' must be a user name like 'deploy' but was 'Bad!'"));
    }
}
