package dev.rcon.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The audit writer on its own: how it keeps up with a burst of events. */
@Timeout(30)
class AuditLogTest {
    @TempDir
    Path dir;

    /**
     * A key holder flooding cheap requests (each `get` of a missing file is one event) made the
     * agent drop the events after them, its next command among them: the writer synced the disk
     * once per line, some 4 ms each on a virtual disk, so about 250 events a second filled the
     * queue (confirmed against a real agent: 24,000 gets, then `echo`, and the trail had
     * `dropped_before` and no `echo`). What queued while the writer was busy is now written
     * with one sync, and a flush is told only after it.
     */
    @Test
    void eventsQueuedWhileTheWriterWasBusyAreWrittenAndSyncedTogether() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        try (AuditLog log = new AuditLog(trail, error -> { }, false)) {
            for (int i = 0; i < 500; i++) {
                log.append(log.event("command_started").put("id", i));
            }
            log.startWriter();
            assertTrue(log.flush(Duration.ofSeconds(20)));
            assertEquals(1, log.syncs());
            log.append(log.event("command_ended").put("id", 500));
            assertTrue(log.flush(Duration.ofSeconds(20)));
            assertEquals(2, log.syncs());
        }
        List<String> lines = Files.readAllLines(trail);
        assertEquals(501, lines.size());
        assertFalse(String.join("\n", lines).contains("dropped_before"));
        assertEquals(Optional.empty(), AuditVerifier.verify(List.of(trail)));
    }

    /** A batch of long lines (commands near the header limit) is written in parts of about 1 MiB, not held whole. */
    @Test
    void aBatchOfLongLinesIsWrittenInPartsAndTheChainHoldsAcrossThem() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        String command = "x".repeat(8_000);
        try (AuditLog log = new AuditLog(trail, error -> { }, false)) {
            for (int i = 0; i < 300; i++) {
                log.append(log.event("command_started").put("command", command));
            }
            log.startWriter();
            assertTrue(log.flush(Duration.ofSeconds(20)));
            assertEquals(3, log.syncs());
        }
        assertEquals(300, Files.readAllLines(trail).size());
        assertEquals(Optional.empty(), AuditVerifier.verify(List.of(trail)));
    }

    @Test
    void eventsThatCouldNotBeWrittenAreCountedInTheNextLineAndTheChainHolds() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.createDirectory(blocked);
        Path trail = blocked.resolve("audit.jsonl");
        StringBuilder errors = new StringBuilder();
        try (AuditLog log = new AuditLog(trail, errors::append, false)) {
            Files.createDirectory(trail);
            log.append(log.event("session_opened"));
            log.append(log.event("command_started"));
            log.startWriter();
            assertTrue(log.flush(Duration.ofSeconds(20)));
            Files.delete(trail);
            log.append(log.event("command_ended"));
            assertTrue(log.flush(Duration.ofSeconds(20)));
        }
        assertTrue(errors.toString().startsWith("audit: cannot write " + trail), errors.toString());
        List<String> lines = Files.readAllLines(trail);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"dropped_before\":2"), lines.get(0));
        assertEquals(Optional.empty(), AuditVerifier.verify(List.of(trail)));
    }

    /**
     * The journal line says why the trail cannot be written: an agent run by hand as a user,
     * as README.md shows, logged "cannot write /var/log/rcon/audit.jsonl:
     * /var/log/rcon/audit.jsonl", the JDK's exception holding nothing but the path, and a
     * trail below a file logged its path twice.
     */
    @Test
    void theLineAboutATrailThatCannotBeWrittenSaysWhyNotJustThePathAgain() throws Exception {
        Path inTheWay = Files.writeString(dir.resolve("logs"), "");
        Path trail = inTheWay.resolve("audit.jsonl");
        StringBuilder errors = new StringBuilder();
        try (AuditLog log = new AuditLog(trail, errors::append, false)) {
            log.append(log.event("session_opened"));
            log.startWriter();
            assertTrue(log.flush(Duration.ofSeconds(20)));
        }
        // JDK 17 fails the open (ENOTDIR); newer JDKs fail making the parent, which is a file.
        String end = " (events are lost until it can; the agent keeps serving)";
        assertTrue(errors.toString().equals("audit: cannot write " + trail + ": Not a directory" + end)
                || errors.toString().equals("audit: cannot write " + trail + ": " + inTheWay
                        + ": already exists, and not as a directory" + end), errors.toString());
    }
}
