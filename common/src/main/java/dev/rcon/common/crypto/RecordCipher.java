package dev.rcon.common.crypto;

import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for one direction of a session (RCON1.md section 3). The nonce is the direction's
 * iv XOR the record's sequence number, which counts every record and is never sent; so a record
 * replayed, dropped or reordered fails its tag. Not thread-safe: the one reader or the
 * synchronized writer owns it.
 */
public final class RecordCipher {
    private static final int TAG_BITS = Limits.TAG_LEN * 8;

    private final SecretKeySpec key;
    private final byte[] iv;
    private final Cipher cipher;
    private long seq;

    public RecordCipher(byte[] key, byte[] iv) {
        if (key.length != 32 || iv.length != 12) {
            throw new IllegalArgumentException("record key must be 32 bytes and iv 12 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.iv = iv.clone();
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks AES-GCM", e);
        }
    }

    /** Starts at {@code seq} instead of 0: test vectors only. */
    public RecordCipher atSequence(long seq) {
        this.seq = seq;
        return this;
    }

    public long sequence() {
        return seq;
    }

    /** Returns the whole record as sent: {@code u32 len || ciphertext || tag}. */
    public byte[] seal(byte[] plaintext) throws ProtocolException {
        byte[] record = new byte[4 + plaintext.length + Limits.TAG_LEN];
        System.arraycopy(plaintext, 0, record, 4, plaintext.length);
        sealInPlace(record, plaintext.length);
        return record;
    }

    /**
     * Seals a record where it lies, so a writer can keep one buffer instead of allocating three
     * per record: {@code buf} holds the plaintext at {@code [4, 4 + plainLen)} and room for the
     * tag after it; the length goes to {@code [0, 4)} and the ciphertext replaces the plaintext.
     *
     * @return the length of the whole record as sent
     */
    public int sealInPlace(byte[] buf, int plainLen) throws ProtocolException {
        int len = plainLen + Limits.TAG_LEN;
        ByteBuffer.wrap(buf, 0, 4).putInt(len);
        try {
            start(Cipher.ENCRYPT_MODE, buf);
            // Cipher is copy-safe: input and output may be the same array at the same offset.
            cipher.doFinal(buf, 4, plainLen, buf, 4);
            return 4 + len;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal a record", e);
        }
    }

    /** Opens a record body (ciphertext and tag; its length is the frame's len). */
    public byte[] open(byte[] sealed) throws ProtocolException {
        byte[] plain = new byte[sealed.length];
        return Arrays.copyOf(plain, open(sealed, 0, sealed.length, plain));
    }

    /**
     * Opens the record body {@code body[off, off + len)} (ciphertext and tag) into {@code plain}, which
     * must hold {@code len} bytes. Give it an array of its own: JDK 17 decrypts an array onto
     * itself through a fresh copy of the whole array and copies the result back, which cost a
     * bulk transfer a zeroed 70 KiB array and a copy per record. A record that fails leaves
     * zeros in {@code plain[0, len)}: JDK 17 checks the tag before it decrypts, but later JDKs
     * decrypt as they hash and leave the unauthenticated plaintext behind.
     *
     * @return the plaintext's length
     */
    public int open(byte[] body, int off, int len, byte[] plain) throws ProtocolException {
        byte[] lenBytes = ByteBuffer.allocate(4).putInt(len).array();
        try {
            start(Cipher.DECRYPT_MODE, lenBytes);
            return cipher.doFinal(body, off, len, plain, 0);
        } catch (AEADBadTagException e) {
            Arrays.fill(plain, 0, len, (byte) 0);
            throw new ProtocolException("record " + (seq - 1) + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to open a record", e);
        }
    }

    /** Starts the next record: its nonce, and its length (the first four bytes of {@code len}) as AAD. */
    private void start(int mode, byte[] len) throws GeneralSecurityException, ProtocolException {
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nextNonce()));
        cipher.updateAAD(len, 0, 4);
    }

    private byte[] nextNonce() throws ProtocolException {
        if (seq >= Limits.MAX_SEQ) {
            throw new ProtocolException("session reached its limit of " + Limits.MAX_SEQ
                    + " records in one direction");
        }
        byte[] nonce = iv.clone();
        long s = seq++;
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] ^= (byte) (s >>> (8 * i));
        }
        return nonce;
    }
}
