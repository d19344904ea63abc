package dev.rcon.common.wire;

/** Every size rcon/1 fixes (RCON1.md sections 1 to 3). */
public final class Limits {
    public static final int MAGIC_LEN = 4;
    public static final int NONCE_LEN = 32;
    public static final int KID_LEN = 16;
    public static final int PSK_LEN = 32;
    public static final int X25519_LEN = 32;
    public static final int PROOF_LEN = 32;

    /** M0 = "RCON" || vmin || vmax || Na. */
    public static final int M0_LEN = MAGIC_LEN + 2 + NONCE_LEN;
    /** M1 = "RCON" || ver || kid || Nc || Ec || proof. */
    public static final int M1_LEN = MAGIC_LEN + 1 + KID_LEN + NONCE_LEN + X25519_LEN + PROOF_LEN;
    /** The part of M1 the client proof covers. */
    public static final int M1_PROVEN_LEN = M1_LEN - PROOF_LEN;
    /** M2 = Ea || aproof. */
    public static final int M2_LEN = X25519_LEN + PROOF_LEN;

    public static final int TAG_LEN = 16;
    public static final int HLEN_LEN = 4;
    public static final int MAX_HEADER = 16384;
    public static final int MAX_PAYLOAD = 1 << 20;
    /** Spec bound; a 20-byte record still fails the {@code hlen >= 1} check after opening. */
    public static final int MIN_RECORD = TAG_LEN + HLEN_LEN;
    public static final int MAX_RECORD = TAG_LEN + HLEN_LEN + MAX_HEADER + MAX_PAYLOAD;
    /** A side closes the session before its sequence number reaches this. */
    public static final long MAX_SEQ = 1L << 24;

    /** Largest stdout/stderr/data payload this implementation sends in one record. */
    public static final int CHUNK = 64 * 1024;

    public static final int VERSION = 1;

    private Limits() {
    }
}
