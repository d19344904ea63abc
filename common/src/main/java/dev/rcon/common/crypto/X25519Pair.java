package dev.rcon.common.crypto;

import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** An ephemeral X25519 key pair in RFC 7748's 32-byte encodings. */
public final class X25519Pair implements AutoCloseable {
    private final byte[] privateKey;
    private final byte[] publicKey;

    private X25519Pair(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    public static X25519Pair generate(SecureRandom random) {
        byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, privateKey);
        return new X25519Pair(privateKey);
    }

    /** A pair from a fixed private key: test vectors only. */
    public static X25519Pair fromPrivate(byte[] privateKey) {
        return new X25519Pair(privateKey.clone());
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** X25519(priv, peer), or empty when the result is all zeros (a low-order peer key). */
    public Optional<byte[]> agree(byte[] peerPublic) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, peerPublic, 0, shared, 0)) {
            return Optional.empty();
        }
        return Optional.of(shared);
    }

    /** Wipes the private key. */
    @Override
    public void close() {
        Crypto.wipe(privateKey);
    }
}
