package dev.rcon.common.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every case is a real failure of a real file operation: the words depend on what the JDK throws. */
@Timeout(30)
class FileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNoSuchFileOrDirectoryNotItsPathAgain() {
        Path missing = dir.resolve("none");
        IOException e = assertThrows(IOException.class, () -> Files.readAllBytes(missing));
        assertEquals(missing.toString(), e.getMessage(), "the JDK's own message is the path alone");
        assertEquals("no such file or directory", FileErrors.reason(e));
        assertEquals(missing + ": no such file or directory", FileErrors.message(e));
    }

    @Test
    void aFileThatMayNotBeWrittenIsPermissionDenied() throws IOException {
        AccessDeniedException e = accessDenied();
        assertEquals("permission denied", FileErrors.reason(e));
        assertEquals(e.getFile() + ": permission denied", FileErrors.message(e));
    }

    @Test
    void theKernelsOwnWordsAreKeptWhenTheExceptionHasThem() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        IOException e = assertThrows(FileSystemException.class, () -> Files.readAllBytes(file.resolve("below")));
        assertEquals("Not a directory", FileErrors.reason(e));
        assertEquals(file.resolve("below") + ": Not a directory", FileErrors.message(e));
    }

    @Test
    void aFileByTheNameOfADirectoryToBeMadeIsSaidToBeInTheWay() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.createDirectories(file));
        assertEquals(java.util.Optional.of(file + ": already exists, and not as a directory"),
                FileErrors.inTheWayOfADirectory(e));
        IOException other = assertThrows(IOException.class, () -> Files.readAllBytes(dir.resolve("none")));
        assertEquals(java.util.Optional.empty(), FileErrors.inTheWayOfADirectory(other));
    }

    @Test
    void listingARegularFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.newDirectoryStream(file).close());
        assertEquals("not a directory", FileErrors.reason(e));
    }

    @Test
    void makingAFileThatIsThereIsFileExists() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.createFile(file));
        assertEquals("file exists", FileErrors.reason(e));
    }

    @Test
    void aLinkOverAnotherFileNamesBothFiles() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Path link = Files.writeString(dir.resolve("taken"), "y");
        IOException e = assertThrows(IOException.class, () -> Files.createLink(link, file));
        assertEquals(link + " -> " + file + ": file exists", FileErrors.message(e));
    }

    @Test
    void removingADirectoryWithFilesInItIsDirectoryNotEmpty() throws IOException {
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("f"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.delete(full));
        assertEquals("directory not empty", FileErrors.reason(e));
    }

    @Test
    void readingARegularFileAsALinkIsNotASymbolicLink() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.readSymbolicLink(file));
        assertEquals("not a symbolic link", FileErrors.reason(e));
    }

    @Test
    void anExceptionWithNoWordsOfItsOwnIsNamedInWordsNotAsAClass() throws IOException {
        Path loop = Files.createDirectory(dir.resolve("loop"));
        Files.createSymbolicLink(loop.resolve("back"), loop);
        List<IOException> failed = new ArrayList<>();
        Files.walkFileTree(loop, EnumSet.of(FileVisitOption.FOLLOW_LINKS), 5, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                failed.add(e);
                return FileVisitResult.CONTINUE;
            }
        });
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("file system loop", FileErrors.reason(failed.get(0)));
    }

    @Test
    void anErrorAboutNoFileIsItsMessage() throws IOException {
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = Files.newInputStream(dir)) {
                in.read();
            }
        });
        assertEquals("Is a directory", FileErrors.reason(e));
        assertEquals("Is a directory", FileErrors.message(e));
    }

    @Test
    void anotherFileThanTheOneTheCallerNamesIsNamedToo() throws IOException {
        Path missing = dir.resolve("none");
        Path target = dir.resolve("copy");
        IOException e = assertThrows(IOException.class, () -> Files.copy(missing, target));
        assertEquals(missing + ": no such file or directory", FileErrors.reason(target, e));
        assertEquals("no such file or directory", FileErrors.reason(missing, e));
    }

    /**
     * A real EACCES: a 000 file for a user; for root, whom modes do not stop, a file of
     * /proc/sys or sysfs without write bits, which the kernel refuses root too. A read-only
     * mount of those answers EROFS instead, and then there is nothing to test here.
     */
    private AccessDeniedException accessDenied() throws IOException {
        Path locked = Files.writeString(dir.resolve("locked"), "x");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        List<Path> candidates = List.of(locked, Path.of("/proc/sys/kernel/osrelease"),
                Path.of("/sys/devices/system/cpu/online"));
        for (Path file : candidates) {
            try {
                Files.newByteChannel(file, StandardOpenOption.WRITE).close();
            } catch (AccessDeniedException e) {
                assertTrue(e.getReason() == null, "the JDK gives no reason: " + e.getReason());
                return e;
            } catch (IOException e) {
                // EROFS and the like: try the next.
            }
        }
        Assumptions.abort("no file here that this user may not write");
        return null;
    }
}
