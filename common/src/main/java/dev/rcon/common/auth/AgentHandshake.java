package dev.rcon.common.auth;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.crypto.X25519Pair;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The agent's side of the handshake. Nothing is parsed as JSON and nothing runs before
 * {@link #run} returns. An unknown kid is checked against a key that nobody holds, so that it
 * fails exactly like a wrong psk, in answer and in time. One instance serves every connection of
 * an agent; it keeps no state between them.
 */
public final class AgentHandshake {
    private final KeyLookup keys;
    private final SecureRandom random;
    /**
     * Made once, here: a dummy drawn per unknown kid would make that path alone call the random,
     * and so take measurably longer than a known kid with a wrong psk.
     */
    private final Key nobody;

    public AgentHandshake(KeyLookup keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
        this.nobody = Key.generate(random, "unknown kid");
    }

    /** The key a console proved and the session keys it shares with us. */
    public record Result(Key key, SessionKeys sessionKeys) {
    }

    /**
     * Runs the handshake and switches both directions to records.
     *
     * @throws AuthenticationException when the console must be denied: the caller logs it and
     *     answers with {@link #deny}
     */
    public Result run(FrameReader reader, FrameWriter writer) throws IOException {
        return run(reader, writer, keys);
    }

    /**
     * As {@link #run(FrameReader, FrameWriter)}, looking kids up in {@code lookup}: a key the
     * lookup withholds (for this peer, or past its date) takes the unknown kid's path, so it is
     * denied exactly like a wrong key, in answer and in time.
     */
    public Result run(FrameReader reader, FrameWriter writer, KeyLookup lookup) throws IOException {
        byte[] na = new byte[Limits.NONCE_LEN];
        random.nextBytes(na);
        byte[] m0 = Handshake.m0(Limits.VERSION, Limits.VERSION, na);
        writer.writeFrame(m0);
        byte[] m1 = reader.readFrame("M1", Limits.M1_LEN, Limits.M1_LEN);
        Optional<Key> key = verify(m0, m1, lookup);
        if (key.isEmpty()) {
            throw new AuthenticationException("the proof did not check out (unknown key or wrong psk)");
        }
        byte[] es = Handshake.earlySecret(key.get().psk());
        try (X25519Pair ea = X25519Pair.generate(random)) {
            byte[] ec = Handshake.slice(m1, Limits.M1_PROVEN_LEN - Limits.X25519_LEN, Limits.X25519_LEN);
            Optional<byte[]> dh = ea.agree(ec);
            if (dh.isEmpty()) {
                throw new AuthenticationException("low-order X25519 key");
            }
            byte[] hs = Handshake.handshakeSecret(es, dh.get());
            byte[] eaPublic = ea.publicKey();
            byte[] th2 = Handshake.th2(m0, m1, eaPublic);
            byte[] aproof = Handshake.agentProof(hs, th2);
            SessionKeys sessionKeys = Handshake.sessionKeys(hs, th2, aproof);
            Crypto.wipe(dh.get(), hs);
            writer.writeFrame(ByteBuffer.allocate(Limits.M2_LEN).put(eaPublic).put(aproof).array());
            writer.startRecords(sessionKeys.agentToConsole());
            reader.startRecords(sessionKeys.consoleToAgent());
            return new Result(key.get(), sessionKeys);
        } finally {
            Crypto.wipe(es);
        }
    }

    /** Sends the one empty frame that means "denied"; the caller then closes. */
    public static void deny(FrameWriter writer) throws IOException {
        writer.writeFrame(new byte[0]);
    }

    /** Checks magic, version and proof; every failure takes the same path to the same answer. */
    private Optional<Key> verify(byte[] m0, byte[] m1, KeyLookup keys) {
        byte[] kid = Handshake.slice(m1, 5, Limits.KID_LEN);
        Optional<Key> key = keys.find(kid);
        byte[] psk = key.orElse(nobody).psk();
        byte[] es = Handshake.earlySecret(psk);
        byte[] expected = Handshake.clientProof(es, m0, m1);
        byte[] proof = Handshake.slice(m1, Limits.M1_PROVEN_LEN, Limits.PROOF_LEN);
        boolean proofOk = Crypto.constantTimeEquals(expected, proof);
        Crypto.wipe(es, psk);
        boolean versionOk = Handshake.hasMagic(m1) && (m1[4] & 0xFF) == Limits.VERSION;
        return proofOk && versionOk ? key : Optional.empty();
    }
}
