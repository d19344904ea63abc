package dev.rcon.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rcon.common.json.JsonValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event of the audit trail, its fields in the order they were put; it becomes one JSON line.
 * Values are strings, numbers, booleans, lists of strings or null (the overloads of {@code put}
 * allow no other type), so a line never holds an object the reader would have to trust.
 */
public final class AuditEvent {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    AuditEvent(String time, String event) {
        fields.put("time", time);
        fields.put("event", event);
    }

    /** Sets field {@code name} (null writes null), replacing a value put before; returns this event. */
    public AuditEvent put(String name, String value) {
        fields.put(name, value);
        return this;
    }

    public AuditEvent put(String name, long value) {
        fields.put(name, value);
        return this;
    }

    /** A number that may be absent: null writes null. */
    public AuditEvent put(String name, Integer value) {
        fields.put(name, value);
        return this;
    }

    public AuditEvent put(String name, boolean value) {
        fields.put(name, value);
        return this;
    }

    public AuditEvent put(String name, List<String> values) {
        fields.put(name, List.copyOf(values));
        return this;
    }

    /** The event as one line of compact JSON (no newline). */
    String toJson(JsonFactory json) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(line)) {
            JsonValues.write(g, fields);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return line.toString();
    }
}
