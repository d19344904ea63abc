package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The penalty table's arithmetic and its bound; the clock is passed in, so no test waits. */
@Timeout(10)
class PenaltiesTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void theFifthQuickFailureStartsAPenaltyThatEndsOnTime() {
        Penalties p = new Penalties(5, 30 * SECOND, 100);
        for (int i = 0; i < 4; i++) {
            assertFalse(p.failed("a", i));
        }
        assertEquals(0, p.remaining("a", 5));
        assertTrue(p.failed("a", 10));
        assertEquals(30 * SECOND - 10, p.remaining("a", 20));
        assertEquals(0, p.remaining("a", 30 * SECOND + 10));
    }

    @Test
    void anAddressThatFailsNowAndThenIsNeverPenalised() {
        Penalties p = new Penalties(5, 30 * SECOND, 100);
        for (int i = 0; i < 1000; i++) {
            assertFalse(p.failed("health-check", i * 7 * SECOND), "failure " + i);
        }
    }

    @Test
    void memoryIsBoundedAndAPenalisedAddressThatKeepsKnockingIsKept() {
        Penalties p = new Penalties(1, 30 * SECOND, 3);
        assertTrue(p.failed("attacker", 0));
        for (int i = 0; i < 1000; i++) {
            p.failed("other-" + i, i);
            assertTrue(p.remaining("attacker", i) > 0, "forgotten after " + i + " others");
            assertTrue(p.size() <= 3);
        }
    }

    @Test
    void aDrainedAddressIsForgottenWhenSeen() {
        Penalties p = new Penalties(5, 30 * SECOND, 100);
        p.failed("a", 0);
        assertEquals(1, p.size());
        assertEquals(0, p.remaining("a", 60 * SECOND));
        assertEquals(0, p.size());
    }
}
