package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rcon.common.json.JsonValues;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One wire record class bound to JSON through jackson-core's streaming parser and generator.
 * The messages are a closed set of records with a handful of field types, and building
 * databind's ObjectMapper cost a one-shot console about a fifth of its start (bench/README.md).
 * The rules are databind's as MessageCodec configured it: snake_case names in declaration
 * order, null fields left out unless marked {@code @JsonInclude(ALWAYS)}, {@code @JsonIgnore}
 * skipped, enums by their {@code @JsonValue}/{@code @JsonCreator} or their names; on input, no
 * coercion (a string is never a number, a number never an enum, a float never an integer), no
 * unknown field and no missing primitive.
 */
final class RecordJson {
    /** A value of the wrong kind or out of range, or an unknown field. */
    static final class BadValue extends Exception {
        final boolean unknownField;

        BadValue(String message, boolean unknownField) {
            super(message, null, false, false);
            this.unknownField = unknownField;
        }
    }

    private record Component(String wireName, Method accessor, Type type, boolean always) {
    }

    private final Constructor<?> constructor;
    private final Component[] components;
    private final Map<String, Integer> index;
    private final Class<?>[] raw;

    private RecordJson(Class<?> type) {
        RecordComponent[] parts = type.getRecordComponents();
        raw = Arrays.stream(parts).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            constructor = type.getDeclaredConstructor(raw);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
        components = new Component[parts.length];
        index = new HashMap<>();
        for (int i = 0; i < parts.length; i++) {
            RecordComponent part = parts[i];
            // Jackson's annotations do not target record components: javac puts them on the
            // accessor (and the field and constructor parameter), where databind found them too.
            Method accessor = part.getAccessor();
            if (accessor.isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonInclude include = accessor.getAnnotation(JsonInclude.class);
            components[i] = new Component(snakeCase(part.getName()), accessor, part.getGenericType(),
                    include != null && include.value() == JsonInclude.Include.ALWAYS);
            index.put(components[i].wireName(), i);
        }
    }

    /** Bindings for {@code roots} and every record type their fields hold. */
    static Map<Class<?>, RecordJson> forTypes(List<Class<?>> roots) {
        Map<Class<?>, RecordJson> all = new HashMap<>();
        List<Class<?>> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            Class<?> type = todo.remove(todo.size() - 1);
            if (all.containsKey(type)) {
                continue;
            }
            RecordJson json = new RecordJson(type);
            all.put(type, json);
            for (Component c : json.components) {
                if (c != null) {
                    todo.addAll(nestedRecords(c.type()));
                }
            }
        }
        return Map.copyOf(all);
    }

    private static List<Class<?>> nestedRecords(Type type) {
        if (type instanceof ParameterizedType p) {
            List<Class<?>> found = new ArrayList<>();
            for (Type arg : p.getActualTypeArguments()) {
                found.addAll(nestedRecords(arg));
            }
            return found;
        }
        return type instanceof Class<?> c && c.isRecord() ? List.of(c) : List.of();
    }

    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Writes {@code record} as one object, with {@code "type"} first when {@code typeName} is set. */
    void write(JsonGenerator g, Object record, String typeName, Map<Class<?>, RecordJson> all) throws IOException {
        g.writeStartObject();
        if (typeName != null) {
            g.writeStringField("type", typeName);
        }
        for (Component c : components) {
            if (c == null) {
                continue;
            }
            Object value = get(c, record);
            if (value == null && !c.always()) {
                continue;
            }
            g.writeFieldName(c.wireName());
            writeValue(g, value, all);
        }
        g.writeEndObject();
    }

    private static Object get(Component c, Object record) {
        try {
            return c.accessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.wireName(), e);
        }
    }

    private static void writeValue(JsonGenerator g, Object value, Map<Class<?>, RecordJson> all) throws IOException {
        // The plain values (and lists and maps of anything) as JsonValues writes them; enums and
        // the nested records here.
        JsonValues.write(g, value, (gen, other) -> {
            if (other instanceof Enum<?> e) {
                gen.writeString(enumName(e));
            } else if (all.containsKey(other.getClass())) {
                all.get(other.getClass()).write(gen, other, null, all);
            } else {
                throw new IllegalStateException("no JSON form for " + other.getClass());
            }
        });
    }

    private static String enumName(Enum<?> e) {
        for (Method m : e.getDeclaringClass().getMethods()) {
            if (m.isAnnotationPresent(JsonValue.class)) {
                try {
                    return (String) m.invoke(e);
                } catch (IllegalAccessException | InvocationTargetException x) {
                    throw new IllegalStateException("cannot name " + e, x);
                }
            }
        }
        return e.name();
    }

    /**
     * The record {@code fields} describe, where {@code discriminator} (the message's "type", or
     * null for a nested record) is not a field. A compact constructor's IllegalArgumentException
     * passes through as it is.
     */
    Object read(Map<String, Object> fields, String discriminator, Map<Class<?>, RecordJson> all) throws BadValue {
        for (String name : fields.keySet()) {
            if (!index.containsKey(name) && !name.equals(discriminator)) {
                throw new BadValue(name, true);
            }
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Component c = components[i];
            boolean present = c != null && fields.containsKey(c.wireName());
            if (present) {
                args[i] = convert(fields.get(c.wireName()), c.type(), c.wireName(), all);
            } else if (c != null && raw[i].isPrimitive()) {
                throw new BadValue("missing field '" + c.wireName() + "'", false);
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            // Whatever else a constructor throws on a peer's values is still the peer's mistake.
            throw new BadValue(String.valueOf(e.getCause()), false);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot build " + constructor.getDeclaringClass(), e);
        }
    }

    private static Object convert(Object value, Type type, String field, Map<Class<?>, RecordJson> all)
            throws BadValue {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (value == null) {
            if (raw.isPrimitive()) {
                throw new BadValue("'" + field + "' must not be null", false);
            }
            return null;
        }
        if (raw == String.class) {
            return expect(value, String.class, field, "a string");
        }
        if (raw == Integer.class || raw == int.class) {
            return (int) integral(value, field, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == Long.class || raw == long.class) {
            return integral(value, field, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return expect(value, Boolean.class, field, "true or false");
        }
        if (raw.isEnum()) {
            return enumValue(raw, expect(value, String.class, field, "a string"), field);
        }
        Type[] args = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        if (raw == List.class) {
            List<Object> out = new ArrayList<>();
            List<?> items = expect(value, List.class, field, "an array");
            for (Object item : items) {
                if (item == null) {
                    throw new BadValue("'" + field + "' must not hold null", false);
                }
                out.add(convert(item, args[0], field, all));
            }
            return out;
        }
        if (raw == Map.class) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<?, ?> entries = expect(value, Map.class, field, "an object");
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                out.put((String) e.getKey(), e.getValue() == null ? null : convert(e.getValue(), args[1], field, all));
            }
            return out;
        }
        if (all.containsKey(raw)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = expect(value, Map.class, field, "an object");
            return all.get(raw).read(nested, null, all);
        }
        throw new IllegalStateException("no JSON form for " + type);
    }

    @SuppressWarnings("unchecked")
    private static <T> T expect(Object value, Class<?> kind, String field, String what) throws BadValue {
        if (!kind.isInstance(value)) {
            throw new BadValue("'" + field + "' must be " + what + " but got " + JsonValues.kind(value), false);
        }
        return (T) value;
    }

    /** On every record's id: the parser's Integer or Long is checked without a BigInteger. */
    private static long integral(Object value, String field, long min, long max) throws BadValue {
        if (value instanceof Integer || value instanceof Long) {
            long v = ((Number) value).longValue();
            if (v >= min && v <= max) {
                return v;
            }
            throw new BadValue("'" + field + "' must be " + min + " to " + max + " but was " + v, false);
        }
        if (value instanceof BigInteger big) {
            // The parser makes a BigInteger only of what does not fit a long.
            throw new BadValue("'" + field + "' must be " + min + " to " + max + " but was " + big, false);
        }
        throw new BadValue("'" + field + "' must be an integer but got " + JsonValues.kind(value), false);
    }

    private static Object enumValue(Class<?> type, String name, String field) throws BadValue {
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(JsonCreator.class) && Modifier.isStatic(m.getModifiers())) {
                try {
                    return m.invoke(null, name);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof IllegalArgumentException bad) {
                        throw bad;
                    }
                    throw new IllegalStateException("cannot read " + type, e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + type, e);
                }
            }
        }
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new BadValue("'" + field + "' must be one of " + Arrays.toString(type.getEnumConstants())
                + " but was '" + name + "'", false);
    }
}
