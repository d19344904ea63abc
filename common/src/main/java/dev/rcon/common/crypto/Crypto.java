package dev.rcon.common.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** SHA-256, HMAC-SHA256 and HKDF-SHA256 (RFC 5869) as rcon/1 uses them. */
public final class Crypto {
    public static final int HASH_LEN = 32;

    private Crypto() {
    }

    public static byte[] sha256(byte[]... parts) {
        MessageDigest digest = newSha256();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    public static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks HmacSHA256", e);
        }
    }

    /** HKDF-Extract(salt, ikm). */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        return new HKDFBytesGenerator(new JdkSha256()).extractPRK(salt, ikm);
    }

    /** HKDF-Expand(prk, info, length). */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new JdkSha256());
        generator.init(HKDFParameters.skipExtractParameters(prk, info));
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }

    /** Secrets are compared in constant time, never with {@code Arrays.equals}. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** Overwrites secrets that are no longer needed; nulls are ignored. */
    public static void wipe(byte[]... secrets) {
        for (byte[] secret : secrets) {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }
}
