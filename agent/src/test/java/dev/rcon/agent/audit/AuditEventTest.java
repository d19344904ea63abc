package dev.rcon.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An event's time field, built without DateTimeFormatter, reads as Instant.toString would. */
@Timeout(30)
class AuditEventTest {
    @Test
    void theTimeReadsExactlyAsInstantToStringDoes() {
        List<Instant> edges = List.of(Instant.EPOCH, Instant.parse("2026-12-07T15:50:00Z"),
                Instant.parse("2026-12-07T15:50:07Z"), Instant.parse("2026-12-07T15:50:00.100Z"),
                Instant.parse("2026-12-07T15:50:00.000100Z"), Instant.parse("2026-12-07T15:50:00.000000001Z"),
                Instant.parse("2026-12-07T00:00:00.120000Z"), Instant.parse("2026-12-07T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"));
        for (Instant instant : edges) {
            assertEquals(instant.toString(), AuditEvent.time(instant));
        }
        Random random = new Random(42);
        int[] nanoSteps = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < 20_000; i++) {
            long seconds = Math.floorMod(random.nextLong(), 4_102_444_800L); // 1970 to 2100
            int step = nanoSteps[random.nextInt(nanoSteps.length)];
            Instant instant = Instant.ofEpochSecond(seconds, (long) random.nextInt(1_000_000_000 / step) * step);
            assertEquals(instant.toString(), AuditEvent.time(instant));
        }
    }

    @Test
    void theTimeOfAWholeMinuteKeepsItsSeconds() {
        assertEquals("2026-12-07T15:50:00Z", AuditEvent.time(Instant.parse("2026-12-07T15:50:00Z")));
    }
}
