package dev.rcon.common.msg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.rcon.common.wire.BadRequestException;
import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;

/**
 * The message codec as it was on jackson-databind, kept in the tests as the reference the
 * streaming {@link MessageCodec} must match: the same bytes out, the same messages in, and the
 * same kind of failure (ProtocolException or BadRequestException with the same id).
 */
final class DatabindReference {
    private static final int MAX_DEPTH = 8;

    private final ObjectMapper mapper;
    private final ObjectReader treeReader;
    private final ObjectWriter writer;

    /** The databind configuration the streaming codec replaced. */
    DatabindReference() {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(Limits.MAX_HEADER)
                .maxNumberLength(20)
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
        for (MessageType type : MessageType.values()) {
            builder.registerSubtypes(new NamedType(type.type(), type.wireName()));
        }
        // Configured entirely by the builder: nothing changes the mapper after this line.
        mapper = builder.build();
        treeReader = mapper.reader();
        writer = mapper.writerFor(Message.class);
    }

    /** The header of {@code message} as the exact UTF-8 bytes sent. */
    public byte[] encode(Message message) {
        try {
            return writer.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.type().wireName(), e);
        }
    }

    /** The payload a message carries after its header (empty for most types). */
    public static byte[] payloadOf(Message message) {
        return message instanceof Message.WithPayload p ? p.payload() : new byte[0];
    }

    /** Decodes a header held in {@code buf[off, off+len)}, attaching {@code payload}. */
    public Message decode(byte[] buf, int off, int len, byte[] payload) throws ProtocolException {
        JsonNode tree;
        try {
            tree = treeReader.readTree(buf, off, len);
        } catch (IOException e) {
            throw new ProtocolException("expected a JSON object header but got malformed JSON: "
                    + firstLine(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new ProtocolException("expected a JSON object header but got "
                    + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase()));
        }
        Integer id = tree.path("id").canConvertToExactIntegral() && tree.path("id").canConvertToInt()
                && tree.path("id").intValue() >= 1 ? tree.path("id").intValue() : null;
        Message message;
        try {
            message = mapper.treeToValue(tree, Message.class);
        } catch (IOException e) {
            throw new BadRequestException(id, describe(tree, e));
        }
        if (message instanceof Message.WithPayload p) {
            return p.withPayload(payload);
        }
        if (payload.length > 0) {
            throw new BadRequestException(id, message.type().wireName() + " carries no payload but got "
                    + payload.length + " bytes");
        }
        return message;
    }

    /** Decodes a whole header; for tests and tools. */
    public Message decode(byte[] header, byte[] payload) throws ProtocolException {
        return decode(header, 0, header.length, payload);
    }

    private static String describe(JsonNode tree, IOException e) {
        String type = tree.path("type").isTextual() ? tree.path("type").asText() : null;
        if (e instanceof InvalidTypeIdException) {
            return type == null ? "missing field 'type'" : "unknown type '" + type + "'";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "' in " + type;
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return type + ": " + v.getCause().getMessage();
        }
        return "bad " + type + ": " + firstLine(e);
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
