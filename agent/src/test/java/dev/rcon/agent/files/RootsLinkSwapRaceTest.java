package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.rcon.common.files.InDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root-owned link in a directory another user can write: that user can swap, by renames, the
 * root's link for one of their own between the checks that the link is root's and the reading of
 * where it points. The walk must then never end in the directory the user's link names.
 */
@Timeout(60)
class RootsLinkSwapRaceTest {
    @TempDir
    Path dir;

    @Test
    void aUsersLinkSwappedForRootsWhileItIsReadIsNeverFollowed() throws Exception {
        Path good = Files.createDirectory(dir.resolve("good"));
        Path evil = Files.createDirectory(dir.resolve("evil"));
        // A directory another user owns (a home), holding a link root made there (~alice/site -> /var/www).
        Path writable = Files.createDirectory(dir.resolve("writable"));
        Files.setAttribute(writable, "unix:uid", 65534);
        Path roots = Files.createSymbolicLink(writable.resolve("l"), good);
        Path users = Files.createSymbolicLink(writable.resolve("m"), evil);
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.getFileAttributeView(users, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
        Object evilKey = Files.readAttributes(evil, "fileKey").get("fileKey");

        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = new Thread(() -> swap(writable, stop));
        swapper.start();
        try {
            long deadline = System.nanoTime() + 3_000_000_000L; // on the old walk the race won within 1 s
            while (System.nanoTime() < deadline) {
                try (SecureDirectoryStream<Path> opened = InDirectory.openThroughRootsLinksOnly(roots)) {
                    Object key = opened.getFileAttributeView(PosixFileAttributeView.class).readAttributes().fileKey();
                    assertNotEquals(evilKey, key, "the walk followed the user's link to " + evil);
                } catch (IOException | RuntimeException e) {
                    // Refused or caught mid-swap: what the walk should do.
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
    }

    @Test
    void rootsLinkWhereOnlyRootCanRenameIsStillFollowed() throws Exception {
        Path good = Files.createDirectory(dir.resolve("good"));
        Path roots = Files.createSymbolicLink(Files.createDirectory(dir.resolve("only-root")).resolve("l"), good);
        Object goodKey = Files.readAttributes(good, "fileKey").get("fileKey");
        try (SecureDirectoryStream<Path> opened = InDirectory.openThroughRootsLinksOnly(roots.resolve("."))) {
            assertEquals(goodKey, opened.getFileAttributeView(PosixFileAttributeView.class).readAttributes().fileKey());
        }
    }

    /** l and m trade places again and again, as their directory's owner can make them. */
    private static void swap(Path writable, AtomicBoolean stop) {
        Path l = writable.resolve("l");
        Path m = writable.resolve("m");
        Path t = writable.resolve("t");
        try {
            while (!stop.get()) {
                Files.move(l, t, StandardCopyOption.ATOMIC_MOVE);
                Files.move(m, l, StandardCopyOption.ATOMIC_MOVE);
                Files.move(l, m, StandardCopyOption.ATOMIC_MOVE);
                Files.move(t, l, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
