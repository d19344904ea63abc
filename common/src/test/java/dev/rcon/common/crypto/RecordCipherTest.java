package dev.rcon.common.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.wire.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordCipherTest {
    private final byte[] key = new byte[32];
    private final byte[] iv = new byte[12];

    RecordCipherTest() {
        new SecureRandom().nextBytes(key);
        new SecureRandom().nextBytes(iv);
    }

    @Test
    void aRecordSealedInPlaceOpensWhereItLiesAmongOtherBytesIntoAnotherArray() throws Exception {
        byte[] plain = "stdin for the command".getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[4 + plain.length + 16];
        System.arraycopy(plain, 0, buf, 4, plain.length);
        assertEquals(buf.length, new RecordCipher(key, iv).sealInPlace(buf, plain.length));
        // As a reader's inbox holds it: the end of one frame before, the start of the next after.
        byte[] inbox = new byte[3 + buf.length + 7];
        System.arraycopy(buf, 0, inbox, 3, buf.length);
        byte[] opened = new byte[buf.length];
        assertEquals(plain.length, new RecordCipher(key, iv).open(inbox, 3 + 4, buf.length - 4, opened));
        assertArrayEquals(plain, Arrays.copyOf(opened, plain.length));
    }

    /**
     * JDK 17 checks the tag before it decrypts; later JDKs decrypt in place as they hash, so a
     * forged record would leave its plaintext in the reader's kept array.
     */
    @Test
    void aRecordThatFailsAuthenticationLeavesZerosWhereItsPlaintextWouldGo() throws Exception {
        byte[] record = new RecordCipher(key, iv).seal("a secret typed at a prompt".getBytes(StandardCharsets.US_ASCII));
        byte[] body = Arrays.copyOfRange(record, 4, record.length);
        body[body.length - 1] ^= 1;
        byte[] opened = new byte[body.length];
        Arrays.fill(opened, (byte) 'x');
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new RecordCipher(key, iv).open(body, 0, body.length, opened));
        assertEquals("record 0 failed authentication", e.getMessage());
        assertArrayEquals(new byte[body.length], opened);
    }
}
