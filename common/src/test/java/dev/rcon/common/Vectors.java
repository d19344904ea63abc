package dev.rcon.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** The rcon/1 test vectors of the independent implementation (a copy of shared/protocol). */
public final class Vectors {
    private static final JsonNode ROOT = load();

    private Vectors() {
    }

    public static JsonNode root() {
        return ROOT;
    }

    public static byte[] hex(String section, String field) {
        return unhex(ROOT.path(section).path(field).asText(null));
    }

    public static byte[] unhex(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("vector field missing");
        }
        return HexFormat.of().parseHex(hex);
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static JsonNode load() {
        try (InputStream in = Vectors.class.getResourceAsStream("/rcon1/vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
