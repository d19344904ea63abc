package dev.rcon.agent.config;

import dev.rcon.common.json.JsonValues;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One field of the agent's configuration: its JSON key, its default, how its JSON value is read
 * and which values it allows. The JSON file, the command line and programmatic changes all go
 * through the same {@link #check}, so each limit is written once and every message names the
 * key an operator writes (or the option, when the value came from the command line).
 *
 * @param <T> the value's type inside the agent
 */
public final class Setting<T> {
    /**
     * Turns a JSON value (as {@link JsonValues} reads it) into a {@code T}; an
     * {@link IllegalArgumentException} names {@code name}.
     */
    @FunctionalInterface
    public interface Reader<T> {
        T read(String name, Object value);
    }

    /** Returns the allowed (possibly normalized) value, or throws naming {@code name} and the limit. */
    @FunctionalInterface
    public interface Check<T> {
        T check(String name, T value);
    }

    private final String key;
    private final Reader<T> reader;
    private final Check<T> check;
    private final T defaultValue;

    private Setting(String key, T defaultValue, Reader<T> reader, Check<T> check) {
        this.key = key;
        this.reader = reader;
        this.check = check;
        // A default outside its own limits is a programming error: it fails when the class loads.
        this.defaultValue = check(defaultValue);
    }

    /** Any type: {@code reader} for its JSON form, {@code check} for its limits. */
    public static <T> Setting<T> of(String key, T defaultValue, Reader<T> reader, Check<T> check) {
        return new Setting<>(key, defaultValue, reader, check);
    }

    /** A JSON integer from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String key, int defaultValue, int min, int max) {
        return of(key, defaultValue, (name, node) -> {
            if (!JsonValues.isInteger(node)) {
                throw new IllegalArgumentException(name + " must be an integer but was " + describe(node));
            }
            if (!(node instanceof Integer value)) {
                throw new IllegalArgumentException(outOfRange(name, min, max, node.toString()));
            }
            return value;
        }, (name, value) -> {
            if (value < min || value > max) {
                throw new IllegalArgumentException(outOfRange(name, min, max, String.valueOf(value)));
            }
            return value;
        });
    }

    /** A duration written in JSON as whole milliseconds, from {@code minMs} to {@code maxMs}. */
    public static Setting<Duration> millis(String key, long defaultMs, long minMs, long maxMs) {
        return of(key, Duration.ofMillis(defaultMs), (name, node) -> {
            if (!JsonValues.isInteger(node)) {
                throw new IllegalArgumentException(name + " must be an integer (milliseconds) but was " + describe(node));
            }
            if (node instanceof BigInteger) {
                throw new IllegalArgumentException(outOfRange(name, minMs, maxMs, node.toString()));
            }
            return Duration.ofMillis(((Number) node).longValue());
        }, (name, value) -> {
            if (value.compareTo(Duration.ofMillis(minMs)) < 0 || value.compareTo(Duration.ofMillis(maxMs)) > 0) {
                throw new IllegalArgumentException(outOfRange(name, minMs, maxMs, String.valueOf(value.toMillis())));
            }
            return value;
        });
    }

    /** A file path, written as a non-empty JSON string. */
    public static Setting<Path> path(String key, String defaultValue) {
        return of(key, Path.of(defaultValue), (name, node) -> {
            if (!(node instanceof String text)) {
                throw new IllegalArgumentException(name + " must be a file path but was " + describe(node));
            }
            if (text.isEmpty()) {
                throw new IllegalArgumentException(name + " must be a file path but was empty");
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(name + " must be a file path but was " + describe(node) + ": "
                        + e.getReason());
            }
        }, (name, value) -> value);
    }

    /** Listen addresses, written as a JSON array of {@code "HOST:PORT"} strings; at least one. */
    public static Setting<List<HostPort>> addresses(String key, HostPort defaultValue) {
        return of(key, List.of(defaultValue), (name, node) -> {
            if (!(node instanceof List<?> list)) {
                throw new IllegalArgumentException(name + " must be a list of \"HOST:PORT\" strings but was "
                        + describe(node));
            }
            List<HostPort> addresses = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String text)) {
                    throw new IllegalArgumentException(name + "[" + i + "] must be a \"HOST:PORT\" string but was "
                            + describe(list.get(i)));
                }
                addresses.add(HostPort.parse(text));
            }
            return addresses;
        }, (name, value) -> {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " must name at least one address");
            }
            return List.copyOf(value);
        });
    }

    /** The JSON key; also the name every message about this setting uses. */
    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** Reads and checks the JSON value of this setting. */
    public T read(Object value) {
        return check(reader.read(key, value));
    }

    /** Checks {@code value}; a mistake names this setting's key. */
    public T check(T value) {
        return check(key, value);
    }

    /** Checks {@code value}; a mistake names {@code name}, say the command-line option it came from. */
    public T check(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return check.check(name, value);
    }

    @Override
    public String toString() {
        return key;
    }

    private static String outOfRange(String name, long min, long max, String value) {
        return name + " must be " + min + " to " + max + " but was " + value;
    }

    /** A JSON value as a message shows it: scalars as written, containers by kind only. */
    static String describe(Object value) {
        String text = JsonValues.shown(value);
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
