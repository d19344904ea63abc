package dev.rcon.common.auth;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.crypto.X25519Pair;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.Limits;
import dev.rcon.common.wire.ProtocolException;
import java.io.IOException;
import java.security.SecureRandom;

/** The console's side of the handshake: prove the key, then check the agent holds it too. */
public final class ClientHandshake {
    private final Key key;
    private final SecureRandom random;

    public ClientHandshake(Key key, SecureRandom random) {
        this.key = key;
        this.random = random;
    }

    /**
     * Runs the handshake and switches both directions to records.
     *
     * @throws AuthenticationException when the agent denies the key or fails its proof
     * @throws ProtocolException when the peer does not speak rcon/1
     */
    public SessionKeys run(FrameReader reader, FrameWriter writer) throws IOException {
        byte[] m0 = reader.readFrame("M0", Limits.M0_LEN, Limits.M0_LEN);
        if (!Handshake.hasMagic(m0)) {
            throw new ProtocolException("expected an rcon agent (magic RCON) but got something else");
        }
        int vmin = m0[4] & 0xFF;
        int vmax = m0[5] & 0xFF;
        if (vmin > Limits.VERSION || vmax < Limits.VERSION) {
            throw new ProtocolException("expected an agent speaking rcon/1 but it offers versions "
                    + vmin + " to " + vmax);
        }
        byte[] nc = new byte[Limits.NONCE_LEN];
        random.nextBytes(nc);
        try (X25519Pair ec = X25519Pair.generate(random)) {
            byte[] m1 = Handshake.m1(m0, Limits.VERSION, key, nc, ec.publicKey());
            writer.writeFrame(m1);
            byte[] m2 = reader.readFrame("M2", 0, Limits.M2_LEN);
            if (m2.length == 0) {
                throw new AuthenticationException("denied: the agent does not accept key '" + key.name() + "'");
            }
            if (m2.length != Limits.M2_LEN) {
                throw new ProtocolException("expected M2 of " + Limits.M2_LEN + " bytes but got " + m2.length);
            }
            SessionKeys keys = finish(m0, m1, m2, ec);
            writer.startRecords(keys.consoleToAgent());
            reader.startRecords(keys.agentToConsole());
            return keys;
        }
    }

    private SessionKeys finish(byte[] m0, byte[] m1, byte[] m2, X25519Pair ec) throws IOException {
        byte[] ea = Handshake.slice(m2, 0, Limits.X25519_LEN);
        byte[] aproof = Handshake.slice(m2, Limits.X25519_LEN, Limits.PROOF_LEN);
        byte[] dh = ec.agree(ea).orElseThrow(
                () -> new ProtocolException("agent sent a low-order X25519 key (shared secret all zeros)"));
        byte[] es = Handshake.earlySecret(key.psk());
        byte[] hs = Handshake.handshakeSecret(es, dh);
        try {
            byte[] th2 = Handshake.th2(m0, m1, ea);
            if (!Crypto.constantTimeEquals(aproof, Handshake.agentProof(hs, th2))) {
                throw new AuthenticationException("the agent failed its proof: it does not hold key '"
                        + key.name() + "' (an impostor, or a relay)", true);
            }
            return Handshake.sessionKeys(hs, th2, aproof);
        } finally {
            Crypto.wipe(dh, es, hs);
        }
    }
}
