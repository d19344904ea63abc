package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Keys;
import dev.rcon.console.testkit.FakeAgent;
import dev.rcon.console.testkit.InterruptibleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rcon rotate} stopped with Ctrl-C while a host hangs (a wedged agent that never answers
 * the key listing): the hosts already done have said so, and every other host is named with the
 * state it was left in. Before, the run printed nothing until every host was done (in list
 * order, so one slow host first held back every line) and a Ctrl-C ended it without a word.
 */
@Timeout(60)
class KeyRotationInterruptTest {
    @TempDir
    Path dir;

    /** A host that logs the console in, takes its first request (the listing) and never answers. */
    private static FakeAgent wedged(Key old, CountDownLatch asked) throws Exception {
        return FakeAgent.start(old, peer -> {
            assertInstanceOf(Keys.class, peer.receive());
            asked.countDown();
            peer.closedWithin(50);
        });
    }

    private InterruptibleRun rotate(Key old, Key fresh, String fanout, String list) throws Exception {
        return InterruptibleRun.start(dir, "rotate", "--key", TestKeys.keyFile(dir, old).toString(), "--new-key",
                TestKeys.keyFile(dir, fresh).toString(), "--fanout", fanout, list);
    }

    @Test
    void aHostDoneIsReportedAtOnceAndTheSecondCtrlCNamesTheHostLeftMidRotation() throws Exception {
        Key old = TestKeys.fresh("ops");
        Key fresh = TestKeys.fresh("ops-2027");
        CountDownLatch asked = new CountDownLatch(1);
        try (FakeAgent stuck = wedged(old, asked); TestAgent good = TestAgent.withKey(dir, old)) {
            good.withOptions("manage-keys");
            String goodHost = "127.0.0.1:" + good.port();
            InterruptibleRun run = rotate(old, fresh, "2", stuck.address() + "," + goodHost);

            assertTrue(run.nextLine().startsWith(goodHost + ": rotated (key "), "printed while the first host hangs");
            assertTrue(asked.await(10, TimeUnit.SECONDS));
            run.pressCtrlC();
            run.pressCtrlC();

            assertEquals(130, run.awaitStatus(10), run.err());
            assertTrue(run.err().contains("rotate: Ctrl-C: starting no more hosts;"), run.err());
            assertTrue(run.err().contains(stuck.address() + ": interrupted mid-rotation: the console stopped waiting"
                    + " for it at Ctrl-C; it holds the old key, the new one or both: run rotate again to finish\n"),
                    run.err());
            assertTrue(run.err().endsWith("rotate: 1 of 2 hosts rotated, 0 kept their old key, 0 unreachable,"
                    + " 1 interrupted mid-rotation; keep the old key until every host is rotated\n"), run.err());
        }
    }

    @Test
    void aHostNotStartedAtCtrlCIsNamedUnchangedAndKeepsItsKey() throws Exception {
        Key old = TestKeys.fresh("ops");
        Key fresh = TestKeys.fresh("ops-2027");
        CountDownLatch asked = new CountDownLatch(1);
        try (FakeAgent stuck = wedged(old, asked); TestAgent waiting = TestAgent.withKey(dir, old)) {
            waiting.withOptions("manage-keys");
            String waitingHost = "127.0.0.1:" + waiting.port();
            // One host at a time: the second waits behind the wedged one.
            InterruptibleRun run = rotate(old, fresh, "1", stuck.address() + "," + waitingHost);

            assertTrue(asked.await(10, TimeUnit.SECONDS));
            run.pressCtrlC();
            run.pressCtrlC();

            assertEquals(130, run.awaitStatus(10), run.err());
            assertTrue(run.err().contains(waitingHost + ": not started, unchanged: stopped at Ctrl-C before it began\n"),
                    run.err());
            assertTrue(run.err().contains(", 1 not started, 1 interrupted mid-rotation;"), run.err());
            assertTrue(Files.readString(waiting.authorizedKeys()).contains(waiting.key().kidHex()));
            assertTrue(!Files.readString(waiting.authorizedKeys()).contains(
                    TestKeys.forHost(fresh, TestAgent.LABEL).kidHex()), "nothing was added");
        }
    }
}
