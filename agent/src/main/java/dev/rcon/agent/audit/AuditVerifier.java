package dev.rcon.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.rcon.common.files.FileErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks an audit trail: one file, or a rotated series given oldest first. Every line must be a
 * JSON object whose {@code prev} is the SHA-256 of the line before it (the first line of the
 * series may start anywhere: an older part may have been deleted on purpose).
 */
public final class AuditVerifier {
    private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** The hash the next line must name as its prev: that of the line before, across files. */
    private String expected;

    private AuditVerifier() {
    }

    /**
     * @return empty when the chain holds, else where and why it breaks: {@code FILE:LINE: why}, or
     *     {@code FILE: why} for a file that cannot be read
     */
    public static Optional<String> verify(List<Path> files) throws IOException {
        AuditVerifier chain = new AuditVerifier();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Optional<String> broken = chain.verify(file, in);
                if (broken.isPresent()) {
                    return broken;
                }
            } catch (NoSuchFileException e) {
                return Optional.of(file + ": no such file");
            } catch (IOException e) {
                // A directory opens, then its first read fails with an IOException naming no file.
                return Optional.of(file + ": " + FileErrors.reason(e));
            }
        }
        return Optional.empty();
    }

    /** One file of the series, continuing the chain of the files before it. */
    private Optional<String> verify(Path file, BufferedReader in) throws IOException {
        for (int number = 1; ; number++) {
            String where = file + ":" + number + ": ";
            String line;
            try {
                line = in.readLine();
            } catch (CharacterCodingException e) {
                // The reader decodes ahead of the line it returns: the bad bytes may lie further on.
                return Optional.of(where + "not UTF-8 text at or after this line");
            }
            if (line == null) {
                return Optional.empty();
            }
            Optional<String> prev;
            try {
                prev = prevOf(json, line);
            } catch (IOException e) {
                return Optional.of(where + "not a JSON line");
            }
            if (prev.isEmpty()) {
                return Optional.of(where + "has no prev hash");
            }
            if (expected != null && !expected.equals(prev.get())) {
                return Optional.of(where + "the chain breaks here: the line before it was edited or deleted"
                        + " (expected prev " + expected + " but got " + prev.get() + ")");
            }
            expected = AuditChain.hashOf(line);
        }
    }

    /**
     * The string {@code prev} of the one JSON object on {@code line}, or empty when the line is
     * another value or has none; a malformed line, a repeated key or anything after the object
     * is an {@link IOException}.
     */
    private static Optional<String> prevOf(JsonFactory json, String line) throws IOException {
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String prev = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                JsonToken value = p.nextToken();
                if ("prev".equals(p.currentName()) && value == JsonToken.VALUE_STRING) {
                    prev = p.getText();
                }
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw new IOException("more follows the object");
            }
            return Optional.ofNullable(prev);
        }
    }
}
