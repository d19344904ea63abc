package dev.rcon.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rcon.common.Vectors;
import dev.rcon.common.auth.SessionKeys;
import dev.rcon.common.auth.VectorSession;
import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordVectorsTest {
    private final SessionKeys keys = new VectorSession().sessionKeys();
    private final MessageCodec codec = MessageCodec.shared();

    private RecordCipher cipher(String direction, long seq) {
        RecordCipher c = direction.equals("a2c") ? keys.agentToConsole() : keys.consoleToAgent();
        return c.atSequence(seq);
    }

    @TestFactory
    List<DynamicTest> everyRecordSealsToTheVectorBytes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode r : Vectors.root().path("records")) {
            tests.add(DynamicTest.dynamicTest("seal " + r.path("what").asText(), () -> {
                byte[] header = r.path("header").asText().getBytes(StandardCharsets.UTF_8);
                Message message = codec.decode(header, Vectors.unhex(r.path("payload_hex").asText()));
                assertEquals(r.path("header").asText(), new String(codec.encode(message), StandardCharsets.UTF_8));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                FrameWriter writer = new FrameWriter(out, codec);
                writer.startRecords(cipher(r.path("direction").asText(), r.path("seq").asLong()));
                writer.send(message);
                assertEquals(r.path("wire_hex").asText(), Vectors.hex(out.toByteArray()));
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyRecordOpensToTheVectorHeaderAndPayload() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode r : Vectors.root().path("records")) {
            tests.add(DynamicTest.dynamicTest("open " + r.path("what").asText(), () -> {
                FrameReader reader = reader(r);
                Message message = reader.receive();
                assertEquals(r.path("header").asText(), new String(codec.encode(message), StandardCharsets.UTF_8));
                assertArrayEquals(Vectors.unhex(r.path("payload_hex").asText()), MessageCodec.payloadOf(message));
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> mustFailRecordsFailTheirTag() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode r : Vectors.root().path("must_fail")) {
            tests.add(DynamicTest.dynamicTest(r.path("what").asText(), () -> {
                ProtocolException e = assertThrows(ProtocolException.class, () -> reader(r).receive());
                assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
            }));
        }
        return tests;
    }

    private FrameReader reader(JsonNode r) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(Vectors.unhex(r.path("wire_hex").asText())), codec);
        reader.startRecords(cipher(r.path("direction").asText(), r.path("seq").asLong()));
        return reader;
    }
}
