package dev.rcon.common.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The early writeback of a file being received, against the real kernel's syncs. */
@Timeout(30)
class WritebackTest {
    @TempDir
    Path dir;

    @Test
    void oneSyncPerStepWrittenAndNoneBeforeTheFirstIsFull() throws Exception {
        try (FileChannel channel = FileChannel.open(Files.createFile(dir.resolve("data")), StandardOpenOption.WRITE)) {
            Writeback writeback = new Writeback(channel);
            writeback.written(Writeback.EVERY - 1);
            assertEquals(0, writeback.started());
            writeback.written(Writeback.EVERY);
            writeback.written(Writeback.EVERY + 1);
            assertEquals(1, writeback.started(), "the next step ends a whole step after the sync began");
            assertNull(writeback.await());
            writeback.written(2 * Writeback.EVERY);
            assertEquals(2, writeback.started());
            assertNull(writeback.await());
        }
    }

    /**
     * The kernel reports a write-back error to one sync only; the commit must hear of one that an
     * early sync got, however its own sync fares. fsync(2) on /dev/null fails (EINVAL): a real error.
     */
    @Test
    void aSyncThatFailedIsWhatTheCommitHears() throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            Writeback writeback = new Writeback(channel);
            writeback.written(Writeback.EVERY);
            IOException failed = writeback.await();
            assertEquals("Invalid argument", failed == null ? null : failed.getMessage());
        }
    }

    @Test
    void aSyncOfAFileAbandonedMeanwhileIsNoFailure() throws Exception {
        FileChannel channel = FileChannel.open(Files.createFile(dir.resolve("data")), StandardOpenOption.WRITE);
        channel.close();
        Writeback writeback = new Writeback(channel);
        writeback.written(Writeback.EVERY);
        assertNull(writeback.await());
    }
}
