package dev.rcon.common.auth;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.wire.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys derived per host (RCON1.md 5.1). A console holds one fleet key K and never uses it as a
 * psk; for the host labelled L it uses {@code (kid_L, psk_L)} from HKDF over K. The agent on L
 * holds only that line, which opens no other host and lets no one pass for another host.
 */
public final class HostKeys {
    private static final byte[] SALT = "rcon1 host keys".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "rcon1 host key ".getBytes(StandardCharsets.US_ASCII);

    private HostKeys() {
    }

    /**
     * The key of host {@code label} under fleet key {@code fleet} (whose 32 psk bytes are K); it
     * keeps the fleet key's name, so the agent's log names the console that holds K.
     */
    public static Key derive(Key fleet, HostLabel label) {
        byte[] k = fleet.psk();
        byte[] prk = Crypto.extract(SALT, k);
        byte[] l = label.text().getBytes(StandardCharsets.UTF_8);
        byte[] info = Arrays.copyOf(INFO, INFO.length + l.length);
        System.arraycopy(l, 0, info, INFO.length, l.length);
        byte[] okm = Crypto.expand(prk, info, Limits.KID_LEN + Limits.PSK_LEN);
        try {
            return new Key(Arrays.copyOfRange(okm, 0, Limits.KID_LEN),
                    Arrays.copyOfRange(okm, Limits.KID_LEN, okm.length), fleet.name());
        } finally {
            Crypto.wipe(k, prk, okm);
        }
    }
}
