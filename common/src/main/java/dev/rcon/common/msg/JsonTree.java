package dev.rcon.common.msg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rcon.common.json.JsonValues;
import java.io.IOException;
import java.util.Map;

/**
 * A header read whole into plain values (maps, lists, strings, integral numbers, other numbers,
 * booleans, null) by jackson-core's parser, which enforces the codec's depth, length and
 * duplicate-key rules while it reads.
 */
final class JsonTree {
    /** The header is not one JSON object: the session cannot go on. */
    static final class NotAnObject extends Exception {
        NotAnObject(String message) {
            super(message, null, false, false);
        }
    }

    private JsonTree() {
    }

    /** The one object in {@code buf[off, off+len)}. */
    static Map<String, Object> object(JsonFactory factory, byte[] buf, int off, int len)
            throws IOException, NotAnObject {
        try (JsonParser p = factory.createParser(buf, off, len)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new NotAnObject(first == null ? "nothing" : describe(first));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) JsonValues.read(p, first);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new NotAnObject("an object followed by " + describe(after));
            }
            return root;
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name().toLowerCase() : token.asString();
        };
    }
}
