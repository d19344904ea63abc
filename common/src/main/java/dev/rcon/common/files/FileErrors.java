package dev.rcon.common.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a file operation failed, in the words ssh and coreutils use. The JDK's file exceptions
 * often hold only a path: an {@link AccessDeniedException}'s message is the path and nothing
 * else, and an operator read "cannot write /var/log/rcon/audit.jsonl: /var/log/rcon/audit.jsonl".
 */
public final class FileErrors {
    private FileErrors() {
    }

    /**
     * Why {@code e} happened, without the file's name: the exception's own reason when it has
     * one ("Read-only file system", as the kernel words it), else the words for its type
     * ("permission denied"), else, for an exception about no file, its message.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : typeWords(f);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? classWords(e) : message;
    }

    /**
     * As {@link #reason(IOException)}, for a caller that names {@code file} itself: the file
     * {@code e} is about is named too when it is another one, such as a parent that could not be
     * made, so that "cannot write a/b/c: permission denied" does not blame the wrong file.
     */
    public static String reason(Path file, IOException e) {
        String why = reason(e);
        if (e instanceof FileSystemException f && f.getFile() != null && !Path.of(f.getFile()).equals(file)) {
            return f.getFile() + ": " + why;
        }
        return why;
    }

    /**
     * {@code e} as one line naming what it is about: "FILE: why", "FILE -> OTHER: why" for a
     * move or link, or the reason alone when it names no file.
     */
    public static String message(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason(e);
        }
        return reason(e);
    }

    /**
     * {@code e} from making directories ({@code Files.createDirectories}) when a file that is not
     * a directory has the name of one of them: the JDK says only "FILE" (EEXIST, no reason), and
     * "file exists" would not say why that is a problem. Empty for any other error.
     */
    public static Optional<String> inTheWayOfADirectory(IOException e) {
        if (e instanceof FileAlreadyExistsException f && f.getReason() == null && f.getFile() != null) {
            return Optional.of(f.getFile() + ": already exists, and not as a directory");
        }
        return Optional.empty();
    }

    /** The JDK throws these with no reason when errno alone says what happened. */
    private static String typeWords(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        } else if (e instanceof NotDirectoryException) {
            return "not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        } else if (e instanceof NotLinkException) {
            return "not a symbolic link";
        }
        return classWords(e);
    }

    /**
     * Words from the class's name ("file system loop" for a FileSystemLoopException): better
     * than the class name, and than the path, which is all the message of these holds.
     */
    private static String classWords(IOException e) {
        String words = e.getClass().getSimpleName().replaceFirst("Exception$", "")
                .replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
        return words.equals("file system") ? "file system error"
                : words.isEmpty() || words.equals("io") ? "input/output error" : words;
    }
}
