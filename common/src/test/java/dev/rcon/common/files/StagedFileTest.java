package dev.rcon.common.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StagedFileTest {
    @TempDir
    Path dir;

    @Test
    void aCommitReplacesTheTargetAndLeavesNoDescriptorOrStagingBehind() throws Exception {
        Path target = dir.resolve("motd");
        Files.writeString(target, "old");
        try (StagedFile file = StagedFile.create(target)) {
            file.write("new\n".getBytes(StandardCharsets.UTF_8));
            file.commit("0640");
        }
        assertEquals("new\n", Files.readString(target));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList());
        }
        // The directory's own sync opens it once more: that descriptor must be gone too.
        assertEquals(List.of(), descriptorsUnder(dir));
    }

    @Test
    void anAbandonedFileLeavesTheTargetAndNoDescriptorBehind() throws Exception {
        Path target = dir.resolve("motd");
        Files.writeString(target, "old");
        try (StagedFile file = StagedFile.create(target)) {
            file.write("half".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("old", Files.readString(target));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList());
        }
        assertEquals(List.of(), descriptorsUnder(dir));
    }

    /** This JVM's open descriptors on {@code dir} or anything in it (others' threads open their own files). */
    private static List<String> descriptorsUnder(Path dir) throws IOException {
        String real = dir.toRealPath().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(StagedFileTest::targetOf)
                    .filter(t -> t.equals(real) || t.startsWith(real + "/"))
                    .toList();
        }
    }

    private static String targetOf(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // closed while listed, the listing's own among them
        }
    }
}
