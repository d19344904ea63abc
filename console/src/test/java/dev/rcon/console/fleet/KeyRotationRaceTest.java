package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.wire.Limits;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.Relay;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rcon rotate} while something else changes the host's keys between its steps: a second
 * operator rotating from the same fleet key, or the answer to the removal lost with its
 * connection. Each run reports what the host really holds and leaves it a key this console has.
 * A relay in front of the agent acts at the step it must.
 */
@Timeout(60)
class KeyRotationRaceTest {
    /** What a console sends first: M1's frame, its length and its bytes. */
    private static final int M1_BYTES = 4 + Limits.M1_LEN;

    @TempDir
    Path dir;
    Key old;
    Key fresh;
    Key other;
    TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        old = TestKeys.fresh("ops");
        fresh = TestKeys.fresh("ops-2027");
        other = TestKeys.fresh("other-operator");
        agent = TestAgent.withKey(dir, old);
        // The other operator's own new key is on the host already (its rotation got that far).
        Files.writeString(agent.authorizedKeys(), "manage-keys " + KeyLine.format(agent.key()) + "\nmanage-keys "
                + KeyLine.format(TestKeys.forHost(other, TestAgent.LABEL)) + "\n");
        agent.agent().reloadKeys();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private ConsoleRun rotateThrough(Relay relay) throws Exception {
        return ConsoleRun.run(dir, "", "rotate", "--key", TestKeys.keyFile(dir, old).toString(), "--new-key",
                TestKeys.keyFile(dir, fresh).toString(), "127.0.0.1:" + relay.port());
    }

    private boolean opens(Key fleetKey) throws Exception {
        try (TestClient client = TestClient.connect(agent.port(), TestKeys.forHost(fleetKey, TestAgent.LABEL))) {
            return client.run(Exec.shell(1, "true")).exit().code() == 0;
        } catch (AuthenticationException e) {
            return false;
        }
    }

    /** What the other operator's rotation does last: remove the old key, over its new key's session. */
    private void otherOperatorRemovesTheOldKey() throws Exception {
        try (TestClient client = TestClient.connect(agent.port(), TestKeys.forHost(other, TestAgent.LABEL))) {
            client.send(Keys.remove(1, agent.key().kidHex()));
            assertInstanceOf(KeyList.class, client.receive());
        }
    }

    @Test
    void aSecondOperatorRemovingTheOldKeyMidwayLeavesThisConsolesNewKeyAndTheRunSaysRotated() throws Exception {
        // Connection 1 is the old key's session (list, add); before connection 2 (the new key's login
        // and the removal) the other operator finishes its own rotation.
        try (Relay relay = Relay.to(agent.port(), n -> {
            if (n == 2) {
                otherOperatorRemovesTheOldKey();
            }
        }, (n, fromAgent, offset) -> true)) {
            ConsoleRun run = rotateThrough(relay);

            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().contains(": rotated (key " + agent.key().kidHex() + " replaced by "), run.out());
            assertTrue(run.out().contains("but the old key is gone all the same"), run.out());
        }
        assertTrue(opens(fresh), "this console's new key still opens the host");
        assertFalse(opens(old));
        assertTrue(Files.readString(agent.authorizedKeys()).contains("manage-keys " + KeyLine.format(
                TestKeys.forHost(fresh, TestAgent.LABEL))), "the new line kept manage-keys");
    }

    @Test
    void anAnswerToTheRemovalLostWithItsConnectionLeavesTheNewKeyAndTheRunSaysRotated() throws Exception {
        // On connection 2, the first bytes the agent sends after the old key left its file are the
        // answer to the removal: the relay cuts the connection instead of passing them on.
        String oldKid = agent.key().kidHex();
        try (Relay relay = Relay.to(agent.port(), n -> { },
                (n, fromAgent, offset) -> n != 2 || !fromAgent || Files.readString(agent.authorizedKeys()).contains(oldKid))) {
            ConsoleRun run = rotateThrough(relay);

            assertEquals(0, run.status(), run.err());
            assertTrue(run.out().contains(": rotated (key " + oldKid + " replaced by "), run.out());
        }
        assertTrue(opens(fresh), "the new key was not removed again after the old one was gone");
        assertFalse(opens(old));
    }

    @Test
    void aHostWhoseStateCannotBeLearntAfterTheRemovalIsUnfinishedNotKeptItsOldKey() throws Exception {
        // Once the old key has left the file, the agent's answers on both connections are cut: the
        // removal's, and the listing's that would tell what the host holds.
        String oldKid = agent.key().kidHex();
        try (Relay relay = Relay.to(agent.port(), n -> { },
                (n, fromAgent, offset) -> !fromAgent || Files.readString(agent.authorizedKeys()).contains(oldKid))) {
            ConsoleRun run = rotateThrough(relay);

            assertEquals(1, run.status(), run.err());
            assertTrue(run.err().contains(":" + relay.port() + ": rotation unfinished: removing the old key failed: "),
                    run.err());
            assertTrue(run.err().contains("; it holds the old key, the new one or both: run rotate again to finish\n"),
                    run.err());
            assertTrue(run.err().endsWith(", 1 unfinished; keep the old key until every host is rotated\n"),
                    run.err());
        }
        assertTrue(opens(fresh), "the host holds the new key only, which the run must not have called kept");
        assertFalse(opens(old));
    }

    @Test
    void anOldKeyRemovedBetweenLoginAndListingGetsNoNewLineWithoutItsOptions() throws Exception {
        // The console's first bytes on connection 1 after its M1 are the list request: before they
        // reach the agent, the other operator removes the old key, and its line's options with it.
        java.util.concurrent.atomic.AtomicBoolean removed = new java.util.concurrent.atomic.AtomicBoolean();
        try (Relay relay = Relay.to(agent.port(), n -> { }, (n, fromAgent, offset) -> {
            if (n == 1 && !fromAgent && offset >= M1_BYTES && !removed.getAndSet(true)) {
                otherOperatorRemovesTheOldKey();
            }
            return true;
        })) {
            ConsoleRun run = rotateThrough(relay);

            assertEquals(2, run.status(), run.err());
            assertTrue(run.err().contains(": neither key logs in: the old key was removed by another session"),
                    run.err());
        }
        assertFalse(Files.readString(agent.authorizedKeys()).contains(
                TestKeys.forHost(fresh, TestAgent.LABEL).kidHex()), "no line was added without the old one's options");
    }
}
