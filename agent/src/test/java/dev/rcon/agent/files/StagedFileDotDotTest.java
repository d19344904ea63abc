package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rcon.common.files.StagedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A put whose path has ".." after a root's link (/var/run/../tmp/f): ".." is the parent of the
 * directory the link leads to, as the kernel takes it (/var/run/../tmp is /tmp, not /var/tmp),
 * so the put writes the file a get of the same path reads; and the staging directory is made in
 * that same directory, leaving nothing elsewhere.
 */
@Timeout(10)
class StagedFileDotDotTest {
    @TempDir
    Path dir;

    @Test
    void aDotDotAfterARootsLinkWritesTheFileTheKernelNamesAndLeavesNothingElsewhere() throws Exception {
        Files.createDirectories(dir.resolve("a/sub"));
        Files.createSymbolicLink(dir.resolve("a/sub/up"), Path.of(".."));
        Path target = dir.resolve("a/sub/up/../file");
        try (StagedFile file = StagedFile.create(target, true)) {
            file.write(new byte[] {42});
            file.commit("0644");
        }
        // a/sub/up is a, and a's parent is dir: the kernel names dir/file.
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(target), "a get of the same path reads what was put");
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(dir.resolve("file")));
        assertFalse(Files.exists(dir.resolve("a/sub/file")), "written beside the link instead of where the path leads");
        try (Stream<Path> top = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("a"), dir.resolve("file")), top.sorted().toList(),
                    "no staging directory left behind");
        }
        try (Stream<Path> sub = Files.list(dir.resolve("a/sub"))) {
            assertEquals(List.of(dir.resolve("a/sub/up")), sub.toList(), "no staging directory left in a/sub");
        }
    }

    @Test
    void aDotDotAfterALinkLikeVarRunGoesUpFromTheLinksTargetNotFromTheLinksDirectory() throws Exception {
        Files.createDirectories(dir.resolve("var/tmp"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createSymbolicLink(dir.resolve("var/run"), dir.resolve("run"));
        Path target = dir.resolve("var/run/../tmp/f");
        try (StagedFile file = StagedFile.create(target, true)) {
            file.write(new byte[] {7});
            file.commit("0644");
        }
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(dir.resolve("tmp/f")), "var/run/../tmp is tmp");
        assertFalse(Files.exists(dir.resolve("var/tmp/f")), "var/run/.. was taken as var");
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
    }
}
