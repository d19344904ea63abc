package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.common.files.StagedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put whose path has ".." after a root's link (/var/run/../tmp/f): the walk to the directory
 * takes ".." lexically, and the staging directory must be made in that same directory.
 */
@Timeout(10)
class StagedFileDotDotTest {
    @TempDir
    Path dir;

    @Test
    void aDotDotAfterARootsLinkWritesWhereTheWalkWentAndLeavesNothingElsewhere() throws Exception {
        Files.createDirectories(dir.resolve("a/sub"));
        Files.createSymbolicLink(dir.resolve("a/sub/up"), Path.of(".."));
        try (StagedFile file = StagedFile.create(dir.resolve("a/sub/up/../file"), true)) {
            file.write(new byte[] {42});
            file.commit("0644");
        }
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(dir.resolve("a/sub/file")));
        try (Stream<Path> top = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("a")), top.toList(), "no staging directory left beside a");
        }
    }
}
