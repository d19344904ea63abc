package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code rcon rotate} against real agents: no host is ever left without a key that opens it. */
@Timeout(60)
class KeyRotationTest {
    @TempDir
    Path dir;
    final List<TestAgent> agents = new ArrayList<>();

    @AfterEach
    void stop() {
        agents.forEach(TestAgent::close);
    }

    private TestAgent agent(Key fleet, java.util.function.UnaryOperator<AgentConfig> tweak, String options)
            throws Exception {
        TestAgent agent = TestAgent.withKey(dir, fleet, tweak).withOptions(options);
        agents.add(agent);
        return agent;
    }

    private static boolean opens(TestAgent agent, Key hostKey) throws Exception {
        try (TestClient client = TestClient.connect(agent.port(), hostKey)) {
            return client.run(Exec.shell(1, "true")).exit().code() == 0;
        } catch (AuthenticationException e) {
            return false;
        }
    }

    @Test
    void threeHostsWithOneFailingMidwayAllStayReachable() throws Exception {
        Key old = TestKeys.fresh("ops");
        Key fresh = TestKeys.fresh("ops-2027");
        TestAgent a = agent(old, c -> c, "manage-keys,from=\"127.0.0.0/8\"");
        TestAgent b = agent(old, c -> c, "manage-keys");
        // One session at a time: the login with the new key, while the old session is open, is turned away.
        TestAgent c = agent(old, cfg -> cfg.withLimits(1, 8, 8), "manage-keys");
        Path oldFile = TestKeys.keyFile(dir, old);
        Path newFile = TestKeys.keyFile(dir, fresh);
        String list = "127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port() + ",127.0.0.1:" + c.port();

        ConsoleRun run = ConsoleRun.run(dir, "", "rotate", "--key", oldFile.toString(), "--new-key", newFile.toString(),
                list);

        assertEquals(1, run.status(), run.err());
        assertTrue(run.out().contains("127.0.0.1:" + a.port() + ": rotated (key "), run.out());
        assertTrue(run.out().contains("127.0.0.1:" + b.port() + ": rotated (key "), run.out());
        assertTrue(run.err().contains("127.0.0.1:" + c.port() + ": kept its old key: logging in with the new key failed"),
                run.err());
        assertTrue(run.err().contains("the new key was removed again"), run.err());
        assertTrue(run.err().endsWith("rotate: 2 of 3 hosts rotated, 1 kept their old key, 0 unreachable;"
                + " keep the old key until every host is rotated\n"), run.err());
        Key oldHost = TestKeys.forHost(old, TestAgent.LABEL);
        Key newHost = TestKeys.forHost(fresh, TestAgent.LABEL);
        for (TestAgent rotated : List.of(a, b)) {
            assertTrue(opens(rotated, newHost));
            assertFalse(opens(rotated, oldHost), "the old key is gone");
        }
        assertTrue(opens(c, oldHost));
        assertFalse(opens(c, newHost), "the failed host holds only its old key");
        String aLine = Files.readString(a.authorizedKeys());
        assertTrue(aLine.contains("manage-keys,from=\"127.0.0.0/8\" rcon1 " + newHost.kidHex()),
                "the new line keeps the old line's options: " + aLine);

        // The rerun (with the one host left) finishes the job; the console switches keys afterwards.
        ConsoleRun again = ConsoleRun.run(dir, "", "rotate", "--key", oldFile.toString(), "--new-key",
                newFile.toString(), "127.0.0.1:" + c.port());
        assertEquals(1, again.status(), "still one session only: " + again.err());
    }

    @Test
    void aHostWhoseKeyMayNotManageKeysKeepsItAndTheRunSaysWhy() throws Exception {
        Key old = TestKeys.fresh("ops");
        Key fresh = TestKeys.fresh("new");
        TestAgent plain = TestAgent.withKey(dir, old);
        agents.add(plain);
        ConsoleRun run = ConsoleRun.run(dir, "", "rotate", "--key", TestKeys.keyFile(dir, old).toString(), "--new-key",
                TestKeys.keyFile(dir, fresh).toString(), "127.0.0.1:" + plain.port() + ",127.0.0.1:1");
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(": kept its old key: cannot list its keys: no-keys: this key may not manage keys"),
                run.err());
        assertTrue(run.err().contains("127.0.0.1:1: unreachable, unchanged: cannot log in with the old key"), run.err());
        assertTrue(opens(plain, TestKeys.forHost(old, TestAgent.LABEL)));
    }

    @Test
    void aRerunOverHostsAlreadyRotatedSaysSoAndNeverAsksForTheOldKeysEnrolment() throws Exception {
        Key old = TestKeys.fresh("ops");
        Key fresh = TestKeys.fresh("ops-2027");
        TestAgent a = agent(old, c -> c, "manage-keys");
        Path oldFile = TestKeys.keyFile(dir, old);
        Path newFile = TestKeys.keyFile(dir, fresh);
        String host = "127.0.0.1:" + a.port();
        assertEquals(0, ConsoleRun.run(dir, "", "rotate", "--key", oldFile.toString(), "--new-key", newFile.toString(),
                host).status());

        // Interrupted runs leave the operator unsure which hosts are done: the whole list again.
        ConsoleRun again = ConsoleRun.run(dir, "", "rotate", "--key", oldFile.toString(), "--new-key",
                newFile.toString(), host);

        Key newHost = TestKeys.forHost(fresh, TestAgent.LABEL);
        assertEquals(0, again.status(), again.err());
        assertEquals(host + ": rotated (already: key " + newHost.kidHex() + " in place, "
                + TestKeys.forHost(old, TestAgent.LABEL).kidHex() + " no longer accepted)\n", again.out());
        assertFalse(again.err().contains("rcon authorize"), again.err());
        assertTrue(opens(a, newHost));

        // A host that accepts neither key is told apart from one that cannot be reached.
        ConsoleRun neither = ConsoleRun.run(dir, "", "rotate", "--key", TestKeys.keyFile(dir, TestKeys.fresh("x"))
                .toString(), "--new-key", TestKeys.keyFile(dir, TestKeys.fresh("y")).toString(), host);
        assertEquals(2, neither.status(), neither.err());
        assertTrue(neither.err().contains(host + ": neither key logs in: denied: "), neither.err());
        assertTrue(neither.err().contains("; the new key is denied too\n"), neither.err());
    }

    @Test
    void aHostLeftWithBothKeysThatStillCannotFinishSaysItHoldsBoth() throws Exception {
        Key old = TestKeys.fresh("ops");
        Key fresh = TestKeys.fresh("ops-2027");
        // An earlier run stopped after step 2; one session at a time makes step 3 fail now.
        TestAgent c = agent(old, cfg -> cfg.withLimits(1, 8, 8), "manage-keys");
        Key newHost = TestKeys.forHost(fresh, TestAgent.LABEL);
        Files.writeString(c.authorizedKeys(), "manage-keys " + dev.rcon.common.auth.KeyLine.format(c.key())
                + "\nmanage-keys " + dev.rcon.common.auth.KeyLine.format(newHost) + "\n");
        c.agent().reloadKeys();

        ConsoleRun run = ConsoleRun.run(dir, "", "rotate", "--key", TestKeys.keyFile(dir, old).toString(), "--new-key",
                TestKeys.keyFile(dir, fresh).toString(), "127.0.0.1:" + c.port());

        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().contains(": kept its old key: logging in with the new key failed: "), run.err());
        assertTrue(run.err().contains("; the new key, there before this run, stays too: run rotate again to finish\n"),
                run.err());
        assertTrue(Files.readString(c.authorizedKeys()).contains(newHost.kidHex()));
    }

    @Test
    void theKeyInUseIsNotANewKey() throws Exception {
        Key old = TestKeys.fresh("ops");
        Path file = TestKeys.keyFile(dir, old);
        ConsoleRun run = ConsoleRun.run(dir, "", "rotate", "--key", file.toString(), "--new-key", file.toString(),
                "127.0.0.1");
        assertEquals(255, run.status());
        assertTrue(run.err().contains("--new-key " + file + " is the key in use"), run.err());
    }
}
