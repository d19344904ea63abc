package dev.rcon.common.auth;

import dev.rcon.common.wire.Limits;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** A (kid, psk) pair and the name it goes by in logs. Its psk never appears in toString. */
public final class Key {
    private final byte[] kid;
    private final byte[] psk;
    private final String name;

    public Key(byte[] kid, byte[] psk, String name) {
        if (kid.length != Limits.KID_LEN) {
            throw new IllegalArgumentException("kid must be " + Limits.KID_LEN + " bytes but was " + kid.length);
        }
        if (psk.length != Limits.PSK_LEN) {
            throw new IllegalArgumentException("psk must be " + Limits.PSK_LEN + " bytes but was " + psk.length);
        }
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("key name must be non-empty printable text");
        }
        this.kid = kid.clone();
        this.psk = psk.clone();
        this.name = name.strip();
    }

    /** A fresh key: kid and psk straight from the CSPRNG, never from a password. */
    public static Key generate(SecureRandom random, String name) {
        byte[] kid = new byte[Limits.KID_LEN];
        byte[] psk = new byte[Limits.PSK_LEN];
        random.nextBytes(kid);
        random.nextBytes(psk);
        return new Key(kid, psk, name);
    }

    public byte[] kid() {
        return kid.clone();
    }

    public String kidHex() {
        return HexFormat.of().formatHex(kid);
    }

    /** The secret; callers must not keep or log it. */
    public byte[] psk() {
        return psk.clone();
    }

    public String name() {
        return name;
    }

    public boolean sameKid(byte[] other) {
        return Arrays.equals(kid, other);
    }

    @Override
    public String toString() {
        return "Key[" + name + " " + kidHex() + "]";
    }
}
