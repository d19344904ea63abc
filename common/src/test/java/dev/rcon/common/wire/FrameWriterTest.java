package dev.rcon.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Ping;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameWriterTest {
    @Test
    void theLastSequenceNumberIsKeptForClose() throws Exception {
        FrameWriter writer = new FrameWriter(new ByteArrayOutputStream(), new MessageCodec());
        RecordCipher sealer = new RecordCipher(new byte[32], new byte[12]).atSequence(Limits.MAX_SEQ - 2);
        writer.startRecords(sealer);
        writer.send(new Ping(1));
        RecordLimitException e = assertThrows(RecordLimitException.class, () -> writer.send(new Ping(2)));
        assertEquals("session reached its limit of 16777216 records in one direction; it must close", e.getMessage());
        writer.send(new Close());
        assertThrows(ProtocolException.class, () -> writer.send(new Close()));
        assertEquals(Limits.MAX_SEQ, sealer.sequence());
    }
}
