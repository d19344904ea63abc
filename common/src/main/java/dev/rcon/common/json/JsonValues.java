package dev.rcon.common.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON value as plain Java values: an object is a {@code Map<String, Object>} in the order
 * written, an array a {@code List<Object>}, a string a {@code String}, an integer an
 * {@code Integer}, {@code Long} or {@code BigInteger} (the smallest that holds it), any other
 * number a {@code Double} or {@code BigDecimal}, and {@code true}, {@code false}, {@code null}
 * themselves. The parser's own limits and features (depth, lengths, duplicate keys) apply while
 * it reads.
 */
public final class JsonValues {
    private JsonValues() {
    }

    /** The value that starts at {@code token}, the parser's current token; reads to its end. */
    public static Object read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(read(p, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IllegalStateException("expected the start of a value but got " + token);
        }
    }

    /** Writes a value that is not one of the plain types: a record, say, or an enum. */
    @FunctionalInterface
    public interface OtherWriter {
        void write(JsonGenerator g, Object value) throws IOException;
    }

    /** Writes {@code value}, one of the types {@link #read} returns (any {@code Number} goes). */
    public static void write(JsonGenerator g, Object value) throws IOException {
        write(g, value, (gen, other) -> {
            throw new IllegalArgumentException("expected a JSON value but got a " + other.getClass().getName());
        });
    }

    /**
     * Writes {@code value} as {@link #write(JsonGenerator, Object)} does, handing every value of
     * another type, at any depth of maps and lists, to {@code other}.
     */
    public static void write(JsonGenerator g, Object value, OtherWriter other) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger n) {
            g.writeNumber(n);
        } else if (value instanceof BigDecimal n) {
            g.writeNumber(n);
        } else if (value instanceof Double || value instanceof Float) {
            g.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> field : map.entrySet()) {
                g.writeFieldName((String) field.getKey());
                write(g, field.getValue(), other);
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                write(g, element, other);
            }
            g.writeEndArray();
        } else {
            other.write(g, value);
        }
    }

    /** Whether {@code value} is a JSON integer (of any size). */
    public static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    }

    /** A scalar as JSON writes it (a string quoted and escaped); containers by kind. */
    public static String shown(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof String s) {
            return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
        }
        return String.valueOf(value);
    }

    /** What kind of JSON value {@code value} is, for messages. */
    public static String kind(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value instanceof Map ? "an object" : "null";
    }
}
