package dev.rcon.common.auth;

import static dev.rcon.common.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.common.Vectors;
import dev.rcon.common.crypto.Crypto;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HandshakeVectorsTest {
    private final VectorSession v = new VectorSession();

    @Test
    void hkdfReproducesRfc5869CaseOne() {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        byte[] salt = Vectors.unhex("000102030405060708090a0b0c");
        byte[] info = Vectors.unhex("f0f1f2f3f4f5f6f7f8f9");
        byte[] okm = Crypto.expand(Crypto.extract(salt, ikm), info, 42);
        assertEquals(Vectors.root().path("hkdf_rfc5869_case1_okm").asText(), Vectors.hex(okm));
    }

    @Test
    void keyLineParsesToTheVectorKidAndPsk() {
        assertArrayEquals(hex("inputs", "kid"), v.key.kid());
        assertArrayEquals(hex("inputs", "psk"), v.key.psk());
        assertEquals("vector@test", v.key.name());
        assertEquals(Vectors.root().path("inputs").path("key_line").asText(), KeyLine.format(v.key));
    }

    @Test
    void handshakeMessagesMatchByteForByte() {
        assertArrayEquals(hex("handshake", "M0_body"), v.m0);
        assertArrayEquals(hex("handshake", "Ec"), v.ec.publicKey());
        assertArrayEquals(hex("handshake", "M1_body"), v.m1);
        byte[] m2 = ByteBuffer.allocate(64).put(v.ea.publicKey()).put(v.aproof).array();
        assertArrayEquals(hex("handshake", "Ea"), v.ea.publicKey());
        assertArrayEquals(hex("handshake", "M2_body"), m2);
    }

    @Test
    void proofsAndSecretsMatch() {
        assertArrayEquals(hex("handshake", "ES"), v.es);
        assertArrayEquals(hex("handshake", "proof"), Handshake.clientProof(v.es, v.m0, v.m1));
        byte[] zeroEs = Handshake.earlySecret(new byte[32]);
        assertArrayEquals(hex("handshake", "proof_with_zero_psk"), Handshake.clientProof(zeroEs, v.m0, v.m1));
        assertArrayEquals(hex("handshake", "dh"), v.dh);
        assertArrayEquals(hex("handshake", "HS"), v.hs);
        assertArrayEquals(hex("handshake", "TH2"), v.th2);
        assertArrayEquals(hex("handshake", "aproof"), v.aproof);
        assertArrayEquals(hex("handshake", "TH3"), Crypto.sha256(v.th2, v.aproof));
    }

    @Test
    void sessionKeysMatch() {
        assertArrayEquals(hex("keys", "key_c2a"), v.keys.keyC2a());
        assertArrayEquals(hex("keys", "iv_c2a"), v.keys.ivC2a());
        assertArrayEquals(hex("keys", "key_a2c"), v.keys.keyA2c());
        assertArrayEquals(hex("keys", "iv_a2c"), v.keys.ivA2c());
        assertEquals(Vectors.root().path("keys").path("session_id").asText(), v.keys.sessionId());
    }
}
