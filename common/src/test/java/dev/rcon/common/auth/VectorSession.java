package dev.rcon.common.auth;

import static dev.rcon.common.Vectors.hex;

import dev.rcon.common.crypto.X25519Pair;

/** Rebuilds the vectors' handshake with the package's own functions. */
public final class VectorSession {
    final Key key = KeyLine.parse(dev.rcon.common.Vectors.root().path("inputs").path("key_line").asText());
    final byte[] m0 = Handshake.m0(1, 1, hex("inputs", "Na"));
    final X25519Pair ec = X25519Pair.fromPrivate(hex("inputs", "ec_private"));
    final X25519Pair ea = X25519Pair.fromPrivate(hex("inputs", "ea_private"));
    final byte[] m1 = Handshake.m1(m0, 1, key, hex("inputs", "Nc"), ec.publicKey());
    final byte[] es = Handshake.earlySecret(key.psk());
    final byte[] dh = ea.agree(ec.publicKey()).orElseThrow();
    final byte[] hs = Handshake.handshakeSecret(es, dh);
    final byte[] th2 = Handshake.th2(m0, m1, ea.publicKey());
    final byte[] aproof = Handshake.agentProof(hs, th2);
    final SessionKeys keys = Handshake.sessionKeys(hs, th2, aproof);

    public SessionKeys sessionKeys() {
        return keys;
    }
}
