package dev.rcon.agent.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import dev.rcon.common.wire.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The key-management request (a project extension) against a real agent and a real keys file. */
@Timeout(30)
class KeyManagementTest {
    @TempDir
    Path dir;

    private TestAgent agentWith(String options) throws Exception {
        return TestAgent.start(dir).withOptions(options);
    }

    private static Message ask(TestClient client, Keys request) throws Exception {
        client.send(request);
        return client.receive();
    }

    @Test
    void aKeyWithoutManageKeysIsDeniedNamingNoKeysAndTheSessionGoesOn() throws Exception {
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            assertEquals(new ErrorReply(1, ErrorCode.DENIED, "no-keys: this key may not manage keys (its line needs"
                    + " manage-keys)"), ask(client, Keys.list(1)));
            assertEquals(new ErrorReply(2, ErrorCode.DENIED, "no-keys: this key may not manage keys (its line needs"
                    + " manage-keys)"), ask(client, Keys.add(2, KeyLine.format(TestKeys.fresh("x")))));
            assertEquals(0, client.run(Exec.shell(3, "true")).exit().code());
        }
    }

    @Test
    void anAddedKeyLogsInAtOnceAndTheFileStaysPrivateWithItsComments() throws Exception {
        Key added = TestKeys.fresh("new");
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            KeyList after = (KeyList) ask(client, Keys.add(1, "no-files " + KeyLine.format(added)));
            assertEquals(List.of(new KeyList.Entry(agent.key().kidHex(), agent.key().name(), "manage-keys"),
                    new KeyList.Entry(added.kidHex(), "new", "no-files")), after.keys());
            try (TestClient second = TestClient.connect(agent.port(), added)) {
                assertEquals(0, second.run(Exec.shell(1, "true")).exit().code());
            }
            Path file = agent.authorizedKeys();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            List<String> lines = Files.readAllLines(file);
            assertEquals("# options set by a test", lines.get(0));
            assertEquals("no-files " + KeyLine.format(added), lines.get(2));
            assertTrue(agent.awaitLog("keys add " + added.kidHex() + ": done, 2 keys in force").length() > 0);
            assertFalse(agent.log().contains(KeyLine.format(added).split(" ")[2]), "the psk never reaches the log");
        }
    }

    /**
     * A key_list longer than a record header could not be sent: the change was made and the
     * console never heard of it, nor of any list after (found while probing key changes for
     * CutSessionLeakTest: 168 keys of 30-character names were enough). Now such a change is
     * refused before anything changes.
     */
    @Test
    void aChangeWhoseKeyListWouldNotFitARecordIsRefusedAndNothingChanges() throws Exception {
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            client.socket().setSoTimeout(10_000);
            int id = 0;
            Message answer;
            do {
                answer = ask(client, Keys.add(++id, KeyLine.format(TestKeys.fresh(id + "n".repeat(3900)))));
            } while (answer instanceof KeyList && id < 10);
            String before = Files.readString(agent.authorizedKeys());
            ErrorReply refused = assertInstanceOf(ErrorReply.class, answer);
            assertEquals(ErrorCode.BAD_REQUEST, refused.code());
            assertTrue(refused.message().matches("the key_list of 6 keys would be \\d+ bytes, more than a record"
                    + " header's 16384 \\(nothing changed\\); edit .* on the host"), refused.message());
            assertEquals(5, ((KeyList) ask(client, Keys.list(++id))).keys().size());
            assertEquals(before, Files.readString(agent.authorizedKeys()));
        }
    }

    @Test
    void aRemovedKeyIsDeniedAtOnceButNoSessionRemovesItsOwnKey() throws Exception {
        Key other = TestKeys.fresh("other");
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            ask(client, Keys.add(1, KeyLine.format(other)));
            assertEquals(new ErrorReply(2, ErrorCode.BAD_REQUEST, "a session cannot remove the key it logged in with;"
                    + " log in with another key that may manage keys"), ask(client, Keys.remove(2, agent.key().kidHex())));
            KeyList after = (KeyList) ask(client, Keys.remove(3, other.kidHex()));
            assertEquals(1, after.keys().size());
            assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), other));
            assertEquals(new ErrorReply(4, ErrorCode.NOT_FOUND, "no authorized key " + other.kidHex()),
                    ask(client, Keys.remove(4, other.kidHex())));
        }
    }

    @Test
    void aLineThatWouldNotLoadIsRefusedAndNothingChanges() throws Exception {
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            byte[] before = Files.readAllBytes(agent.authorizedKeys());
            Key k = TestKeys.fresh("k");
            ErrorReply unknown = (ErrorReply) ask(client, Keys.add(1, "permit-all " + KeyLine.format(k)));
            assertEquals(ErrorCode.BAD_REQUEST, unknown.code());
            assertTrue(unknown.message().startsWith("not a key line: unknown option 'permit-all'"), unknown.message());
            ErrorReply twice = (ErrorReply) ask(client, Keys.add(2, KeyLine.format(agent.key())));
            assertEquals("key " + agent.key().kidHex() + " is already authorized", twice.message());
            // A limited key must not sit beside manage-keys: it could grant itself anything.
            ErrorReply escalation = (ErrorReply) ask(client, Keys.add(3, "manage-keys,no-files " + KeyLine.format(k)));
            assertTrue(escalation.message().contains("option 'manage-keys' cannot go with 'no-files'"), escalation.message());
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(agent.authorizedKeys())));
            assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), k));
        }
    }

    @Test
    void aSecondLineSmuggledInWithANewlineIsABadRequest() throws Exception {
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            Key a = TestKeys.fresh("a");
            Key b = TestKeys.fresh("b");
            String json = "{\"type\":\"keys\",\"id\":1,\"op\":\"add\",\"line\":\"no-files " + KeyLine.format(a)
                    + "\\n" + KeyLine.format(b) + "\"}";
            client.sendHeader(json);
            ErrorReply reply = (ErrorReply) client.receive();
            assertEquals(ErrorCode.BAD_REQUEST, reply.code());
            assertEquals("keys: line must be one line without control characters", reply.message());
            assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), b));
        }
    }

    @Test
    void aFileThatCannotBeWrittenSafelyIsAnIoErrorAndTheKeysInForceStay() throws Exception {
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            Path keysDir = agent.authorizedKeys().getParent();
            Files.setPosixFilePermissions(keysDir, PosixFilePermissions.fromString("rwxrwxrwx"));
            try {
                Key k = TestKeys.fresh("k");
                ErrorReply reply = (ErrorReply) ask(client, Keys.add(1, KeyLine.format(k)));
                assertEquals(ErrorCode.IO, reply.code());
                assertTrue(reply.message().startsWith("cannot change " + agent.authorizedKeys() + " (nothing changed): refusing"
                        + " a key file in " + keysDir + ", which group or others can write"), reply.message());
                assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), k));
                assertInstanceOf(KeyList.class, ask(client, Keys.list(2)), "the keys in force still answer");
            } finally {
                Files.setPosixFilePermissions(keysDir, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    /**
     * The lock file beside the keys file cannot be made: a directory the agent may not write (the
     * restricted unit's, seen with a real agent run as nobody: "cannot read FILE: FILE: cannot lock
     * it", a read that had not failed) or, as here, a link planted under its name, never followed.
     */
    @Test
    void aLockFileThatCannotBeMadeIsAnIoErrorSayingSoAndNothingChanges() throws Exception {
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            Path keysDir = agent.authorizedKeys().getParent();
            Path target = dir.resolve("lock-target");
            Files.createSymbolicLink(keysDir.resolve(".authorized_keys.rcon-lock"), target);
            String before = Files.readString(agent.authorizedKeys());
            Key k = TestKeys.fresh("k");
            ErrorReply reply = (ErrorReply) ask(client, Keys.add(1, KeyLine.format(k)));
            assertEquals(ErrorCode.IO, reply.code());
            assertEquals("cannot change " + agent.authorizedKeys() + " (nothing changed): cannot make or open its lock"
                    + " file .authorized_keys.rcon-lock beside it: ", reply.message().replaceAll("it: .*", "it: "),
                    reply.message());
            assertFalse(reply.message().contains("\n"), "one line");
            assertFalse(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is not followed");
            assertEquals(before, Files.readString(agent.authorizedKeys()));
            assertThrows(AuthenticationException.class, () -> TestClient.connect(agent.port(), k));
        }
    }

    @Test
    void everyKeyChangeIsAuditedByKidNeverByPsk() throws Exception {
        Key added = TestKeys.fresh("new");
        try (TestAgent agent = agentWith("manage-keys"); TestClient client = agent.connect()) {
            ask(client, Keys.add(1, KeyLine.format(added)));
            ask(client, Keys.remove(2, added.kidHex()));
            ask(client, Keys.remove(3, added.kidHex()));
            agent.agent().close();
            String log = agent.log();
            assertTrue(log.contains(added.kidHex()), log);
            assertFalse(log.contains(KeyLine.format(added).split(" ")[2]), "the log holds the psk:\n" + log);
        }
        String audit = Files.readString(dir.resolve("audit.jsonl"));
        assertTrue(audit.contains("\"event\":\"key_added\""), audit);
        assertTrue(audit.contains("\"subject_kid\":\"" + added.kidHex() + "\",\"outcome\":\"done\""), audit);
        assertTrue(audit.contains("\"event\":\"key_removed\""), audit);
        assertTrue(audit.contains("\"outcome\":\"not_found\""), audit);
        assertFalse(audit.contains(KeyLine.format(added).split(" ")[2]), "never the psk");
    }
}
