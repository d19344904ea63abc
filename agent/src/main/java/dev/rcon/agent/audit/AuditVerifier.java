package dev.rcon.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks an audit trail: one file, or a rotated series given oldest first. Every line must be a
 * JSON object whose {@code prev} is the SHA-256 of the line before it (the first line of the
 * series may start anywhere: an older part may have been deleted on purpose).
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /**
     * @return empty when the chain holds, else where and why it breaks: {@code FILE:LINE: why}
     */
    public static Optional<String> verify(List<Path> files) throws IOException {
        JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        String expected = null;
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int number = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    number++;
                    String where = file + ":" + number + ": ";
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
        }
        return Optional.empty();
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
