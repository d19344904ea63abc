package dev.rcon.console.fleet;

import dev.rcon.common.files.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lines of a host file or an inventory, read to a limit: {@code -H ^/dev/zero} (or a log file
 * named by mistake) read until the heap ran out and the console died with a stack trace.
 */
final class TextFile {
    /** Far above any real list: MAX_HOSTS names of 253 bytes, with room for comments. */
    static final int MAX_BYTES = 32 << 20;

    private TextFile() {
    }

    /**
     * The file's lines, as {@link Files#readAllLines} gives them.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws IOException too large or not UTF-8, its message in words; unreadable, for
     *     {@link dev.rcon.common.files.FileErrors#reason} to word
     */
    static List<String> lines(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB: no list of hosts is");
        }
        try {
            return Utf8.strict(bytes).lines().toList();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
    }
}
