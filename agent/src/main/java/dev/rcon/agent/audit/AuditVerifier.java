package dev.rcon.agent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        ObjectMapper mapper = new ObjectMapper();
        String expected = null;
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int number = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    number++;
                    String where = file + ":" + number + ": ";
                    JsonNode node;
                    try {
                        node = mapper.readTree(line);
                    } catch (IOException e) {
                        return Optional.of(where + "not a JSON line");
                    }
                    String prev = node == null ? null : node.path("prev").asText(null);
                    if (prev == null) {
                        return Optional.of(where + "has no prev hash");
                    }
                    if (expected != null && !expected.equals(prev)) {
                        return Optional.of(where + "the chain breaks here: the line before it was edited or deleted"
                                + " (expected prev " + expected + " but got " + prev + ")");
                    }
                    expected = AuditChain.hashOf(line);
                }
            }
        }
        return Optional.empty();
    }
}
