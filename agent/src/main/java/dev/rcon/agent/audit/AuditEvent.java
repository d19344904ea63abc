package dev.rcon.agent.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rcon.common.json.JsonValues;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

    /**
     * {@code instant.toString()}, ISO-8601 in UTC with the seconds and the fraction in groups of
     * three, built through {@code LocalDateTime}: {@code Instant.toString} goes through
     * {@code DateTimeFormatter}, whose set-up of every predefined format loads about 80 classes
     * and keeps them in every agent's memory for this one field (bench/README.md).
     */
    static String time(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        // LocalTime leaves out the seconds of a whole minute, which ISO_INSTANT prints.
        boolean wholeMinute = utc.getSecond() == 0 && utc.getNano() == 0;
        return utc + (wholeMinute ? ":00Z" : "Z");
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
