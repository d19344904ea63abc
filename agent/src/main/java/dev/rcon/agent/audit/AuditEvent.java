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
 * Values are strings, numbers, booleans, lists of strings or null, so a line never holds an
 * object the reader would have to trust.
 */
public final class AuditEvent {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    AuditEvent(String time, String event) {
        fields.put("time", time);
        fields.put("event", event);
    }

    /** Sets field {@code name}, replacing a value put before; returns this event. */
    public AuditEvent put(String name, Object value) {
        if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof List<?> list && list.stream().allMatch(String.class::isInstance))) {
            throw new IllegalArgumentException("audit field " + name + " must be a string, number, boolean or list"
                    + " of strings but was a " + value.getClass().getName());
        }
        fields.put(name, value instanceof List<?> list ? List.copyOf(list) : value);
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

    @Override
    public String toString() {
        return toJson(new JsonFactory());
    }
}
