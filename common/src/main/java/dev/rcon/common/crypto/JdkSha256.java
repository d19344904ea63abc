package dev.rcon.common.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.ExtendedDigest;

/**
 * The JDK's SHA-256 as the digest BouncyCastle's HKDF and HMAC take. BouncyCastle's own
 * {@code SHA256Digest} checks the library's service constraints at construction, and the first
 * check starts {@code java.util.logging} for BouncyCastle's logger: about a hundred classes more
 * in every agent and console (bench/README.md). The hashes are the same bytes (the spec's
 * vectors check them).
 */
final class JdkSha256 implements ExtendedDigest {
    private static final int BLOCK_LEN = 64;

    private final MessageDigest digest = Crypto.newSha256();

    @Override
    public String getAlgorithmName() {
        return "SHA-256";
    }

    @Override
    public int getDigestSize() {
        return Crypto.HASH_LEN;
    }

    @Override
    public int getByteLength() {
        return BLOCK_LEN;
    }

    @Override
    public void update(byte in) {
        digest.update(in);
    }

    @Override
    public void update(byte[] in, int inOff, int len) {
        digest.update(in, inOff, len);
    }

    @Override
    public int doFinal(byte[] out, int outOff) {
        try {
            return digest.digest(out, outOff, Crypto.HASH_LEN);
        } catch (DigestException e) {
            throw new IllegalArgumentException("output: expected " + Crypto.HASH_LEN + " bytes from offset " + outOff
                    + " but the array holds " + (out.length - outOff), e);
        }
    }

    @Override
    public void reset() {
        digest.reset();
    }
}
