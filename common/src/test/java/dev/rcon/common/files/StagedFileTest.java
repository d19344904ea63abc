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
        // The directory's own sync opens it once more: that descriptor must be gone too.
        assertLeftAlone(List.of(target));
    }

    @Test
    void anAbandonedFileLeavesTheTargetAndNoDescriptorBehind() throws Exception {
        Path target = dir.resolve("motd");
        Files.writeString(target, "old");
        try (StagedFile file = StagedFile.create(target)) {
            file.write("half".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("old", Files.readString(target));
        assertLeftAlone(List.of(target));
    }

    /** A file larger than the writeback step is written back as it comes, and what lands is the whole of it. */
    @Test
    void aLargeFileIsWrittenBackAsItComesAndCommittedWhole() throws Exception {
        Path target = dir.resolve("image");
        byte[] chunk = new byte[64 << 10];
        java.security.MessageDigest sent = java.security.MessageDigest.getInstance("SHA-256");
        String staged;
        long writebacks;
        try (StagedFile file = StagedFile.create(target)) {
            for (int i = 0; i < 80 * 16; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                file.write(chunk);
                sent.update(chunk);
            }
            staged = file.sha256();
            writebacks = file.writebacks();
            file.commit("0600");
        }
        assertEquals(2, writebacks, "one at 32 MiB, one at 64");
        assertEquals(java.util.HexFormat.of().formatHex(sent.digest()), staged);
        assertEquals(80L << 20, Files.size(target));
        try (java.io.InputStream in = Files.newInputStream(target)) {
            java.security.MessageDigest landed = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                landed.update(buf, 0, n);
            }
            assertEquals(staged, java.util.HexFormat.of().formatHex(landed.digest()));
        }
        assertLeftAlone(List.of(target));
    }

    /** Abandoned while its writeback runs (a session gone mid-put): nothing is left, and the close waits for nothing it cannot. */
    @Test
    void aFileAbandonedWhileItIsWrittenBackLeavesNothing() throws Exception {
        Path target = dir.resolve("image");
        try (StagedFile file = StagedFile.create(target)) {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 40; i++) {
                file.write(chunk);
            }
            assertEquals(1, file.writebacks());
        }
        assertLeftAlone(List.of());
    }

    /** {@code dir} holds {@code files} and nothing else (no staging), and this JVM holds no descriptor on any of it. */
    private void assertLeftAlone(List<Path> files) throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(files, left.toList());
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
