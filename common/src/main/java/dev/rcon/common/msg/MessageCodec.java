package dev.rcon.common.msg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Record headers to and from {@link Message}s. Strict on input: one JSON object, no duplicate
 * keys, no coercion of strings to numbers, bounded depth and sizes. A header that is not a JSON
 * object fails the session ({@link ProtocolException}); a well-formed object with an unknown
 * type or field, or a bad value, is a {@link BadRequestException} the session can answer.
 * Immutable once built, and so thread-safe: {@link #shared()} serves every connection.
 *
 * <p>Built on jackson-core's streaming parser and generator ({@link RecordJson}), not databind:
 * an ObjectMapper took about a fifth of a one-shot console's start. The tests hold it to the
 * bytes and the answers of the databind codec it replaced.
 */
public final class MessageCodec {
    private static final int MAX_DEPTH = 8;
    private static final MessageCodec SHARED = new MessageCodec();

    private final JsonFactory factory;
    private final Map<Class<?>, RecordJson> records;
    private final Map<String, MessageType> byWireName;

    /** A codec of its own; everything but tests should use {@link #shared()}. */
    public MessageCodec() {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(Limits.MAX_HEADER)
                .maxNumberLength(20)
                .build();
        factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        records = RecordJson.forTypes(Arrays.stream(MessageType.values()).<Class<?>>map(MessageType::type).toList());
        Map<String, MessageType> names = new HashMap<>();
        for (MessageType type : MessageType.values()) {
            names.put(type.wireName(), type);
        }
        byWireName = Map.copyOf(names);
    }

    /** The one codec every connection shares. */
    public static MessageCodec shared() {
        return SHARED;
    }

    /** The header of {@code message} as the exact UTF-8 bytes sent. */
    public byte[] encode(Message message) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(128);
             JsonGenerator g = factory.createGenerator(out)) {
            records.get(message.getClass()).write(g, message, message.type().wireName(), records);
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message.type().wireName(), e);
        }
    }

    /** The payload a message carries after its header (empty for most types). */
    public static byte[] payloadOf(Message message) {
        return message instanceof Message.WithPayload p ? p.payload() : new byte[0];
    }

    /** Decodes a header held in {@code buf[off, off+len)}, attaching {@code payload}. */
    public Message decode(byte[] buf, int off, int len, byte[] payload) throws ProtocolException {
        Map<String, Object> fields;
        try {
            fields = JsonTree.object(factory, buf, off, len);
        } catch (JsonTree.NotAnObject e) {
            throw new ProtocolException("expected a JSON object header but got " + e.getMessage());
        } catch (IOException e) {
            throw new ProtocolException("expected a JSON object header but got malformed JSON: " + firstLine(e));
        }
        Message message = bind(fields);
        if (message instanceof Message.WithPayload p) {
            return p.withPayload(payload);
        }
        if (payload.length > 0) {
            throw badRequest(fields, message.type().wireName() + " carries no payload but got "
                    + payload.length + " bytes");
        }
        return message;
    }

    /** Decodes a whole header; for tests and tools. */
    public Message decode(byte[] header, byte[] payload) throws ProtocolException {
        return decode(header, 0, header.length, payload);
    }

    /** Worked out only when a request fails, never on the path of every record. */
    private static BadRequestException badRequest(Map<String, Object> fields, String message) {
        return new BadRequestException(requestId(fields.get("id")), message);
    }

    /** The id to answer a bad request with: any number equal to an integer from 1 up, as databind saw it. */
    private static Integer requestId(Object id) {
        if (!(id instanceof Number n)) {
            return null;
        }
        try {
            int value = new java.math.BigDecimal(n.toString()).intValueExact();
            return value >= 1 ? value : null;
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private Message bind(Map<String, Object> fields) throws BadRequestException {
        if (!(fields.get("type") instanceof String name)) {
            throw badRequest(fields, "missing field 'type'");
        }
        MessageType type = byWireName.get(name);
        if (type == null) {
            throw badRequest(fields, "unknown type '" + name + "'");
        }
        try {
            return (Message) records.get(type.type()).read(type == MessageType.WINDOW ? saturated(fields) : fields,
                    "type", records);
        } catch (RecordJson.BadValue e) {
            throw badRequest(fields, e.unknownField
                    ? "unknown field '" + e.getMessage() + "' in " + name
                    : "bad " + name + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw badRequest(fields, name + ": " + e.getMessage());
        }
    }

    /**
     * A window's credit past what a long holds still "would make [the window] larger" than
     * 2^31-1 (RCON1.md 4.1): it is held as the largest long, so the receiver's window judges it
     * like any other (a protocol error for a channel in flight, ignored for another id) instead
     * of a bad request the session survives.
     */
    private static Map<String, Object> saturated(Map<String, Object> fields) {
        if (!(fields.get("bytes") instanceof java.math.BigInteger big) || big.signum() <= 0) {
            return fields;
        }
        Map<String, Object> held = new HashMap<>(fields);
        held.put("bytes", Long.MAX_VALUE);
        return held;
    }

    private static String firstLine(IOException e) {
        String text = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (text == null) {
            return e.getClass().getSimpleName();
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
