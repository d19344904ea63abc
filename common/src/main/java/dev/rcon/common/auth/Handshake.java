package dev.rcon.common.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.wire.Limits;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The pure functions of the rcon/1 handshake: message layouts and the key schedule. Both roles
 * and the test vectors go through these, so there is one place where the bytes are defined.
 */
final class Handshake {
    static final byte[] MAGIC = "RCON".getBytes(US_ASCII);
    private static final byte[] ZERO_SALT = new byte[32];

    private Handshake() {
    }

    static byte[] m0(int vmin, int vmax, byte[] na) {
        return ByteBuffer.allocate(Limits.M0_LEN).put(MAGIC).put((byte) vmin).put((byte) vmax).put(na).array();
    }

    /** M1 for the given nonce and ephemeral public key, proof included. */
    static byte[] m1(byte[] m0, int ver, Key key, byte[] nc, byte[] ecPublic) {
        byte[] m1 = ByteBuffer.allocate(Limits.M1_LEN).put(MAGIC).put((byte) ver).put(key.kid())
                .put(nc).put(ecPublic).array();
        byte[] es = earlySecret(key.psk());
        byte[] proof = clientProof(es, m0, m1);
        Crypto.wipe(es);
        System.arraycopy(proof, 0, m1, Limits.M1_PROVEN_LEN, Limits.PROOF_LEN);
        return m1;
    }

    static byte[] earlySecret(byte[] psk) {
        return Crypto.extract(ZERO_SALT, psk);
    }

    /** proof = HMAC(Expand(ES, "rcon1 client proof"), H(M0 || M1[0..85))). */
    static byte[] clientProof(byte[] es, byte[] m0, byte[] m1) {
        byte[] proofKey = Crypto.expand(es, label("rcon1 client proof"), 32);
        byte[] proof = Crypto.hmac(proofKey, Crypto.sha256(m0, Arrays.copyOf(m1, Limits.M1_PROVEN_LEN)));
        Crypto.wipe(proofKey);
        return proof;
    }

    static byte[] handshakeSecret(byte[] es, byte[] dh) {
        byte[] derived = Crypto.expand(es, label("rcon1 derived"), 32);
        byte[] hs = Crypto.extract(derived, dh);
        Crypto.wipe(derived);
        return hs;
    }

    static byte[] th2(byte[] m0, byte[] m1, byte[] ea) {
        return Crypto.sha256(m0, m1, ea);
    }

    static byte[] agentProof(byte[] hs, byte[] th2) {
        byte[] proofKey = Crypto.expand(hs, label("rcon1 agent proof"), 32);
        byte[] proof = Crypto.hmac(proofKey, th2);
        Crypto.wipe(proofKey);
        return proof;
    }

    static SessionKeys sessionKeys(byte[] hs, byte[] th2, byte[] aproof) {
        byte[] th3 = Crypto.sha256(th2, aproof);
        return new SessionKeys(
                Crypto.expand(hs, info("rcon1 c2a key", th3), 32),
                Crypto.expand(hs, info("rcon1 c2a iv", th3), 12),
                Crypto.expand(hs, info("rcon1 a2c key", th3), 32),
                Crypto.expand(hs, info("rcon1 a2c iv", th3), 12),
                Crypto.expand(hs, info("rcon1 session id", th3), 8));
    }

    static boolean hasMagic(byte[] message) {
        return Arrays.equals(message, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static byte[] slice(byte[] message, int from, int length) {
        return Arrays.copyOfRange(message, from, from + length);
    }

    private static byte[] label(String text) {
        return text.getBytes(US_ASCII);
    }

    private static byte[] info(String text, byte[] th3) {
        byte[] label = label(text);
        return ByteBuffer.allocate(label.length + th3.length).put(label).put(th3).array();
    }
}
