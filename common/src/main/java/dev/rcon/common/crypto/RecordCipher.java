package dev.rcon.common.crypto;

import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
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
        int len = plaintext.length + Limits.TAG_LEN;
        byte[] lenBytes = ByteBuffer.allocate(4).putInt(len).array();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nextNonce()));
            cipher.updateAAD(lenBytes);
            byte[] record = new byte[4 + len];
            System.arraycopy(lenBytes, 0, record, 0, 4);
            cipher.doFinal(plaintext, 0, plaintext.length, record, 4);
            return record;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal a record", e);
        }
    }

    /** Opens a record body (ciphertext and tag; its length is the frame's len). */
    public byte[] open(byte[] sealed) throws ProtocolException {
        byte[] lenBytes = ByteBuffer.allocate(4).putInt(sealed.length).array();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nextNonce()));
            cipher.updateAAD(lenBytes);
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new ProtocolException("record " + (seq - 1) + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to open a record", e);
        }
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
