package dev.rcon.common.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.wire.Limits;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The UDP liveness check (docs/PROTOCOL.md, "rcon ping"). A request proves the key with an HMAC
 * over a fresh nonce; only such a request is answered, and the answer is never larger than the
 * request, so the agent cannot be used to amplify traffic.
 *
 * <pre>
 * request (128): "RCNP" | ver=1 | kid(16) | nonce(16) | zeros(59) | mac(32)
 *                mac = HMAC(Expand(ES, "rcon1 ping request", 32), request[0..96))
 * reply (<=128): "RCNR" | ver=1 | nonce(16) | uptime_s u32 | hlen u8 | hostname(hlen <= 70) | mac(32)
 *                mac = HMAC(Expand(ES, "rcon1 ping reply", 32), kid || reply[0..len-32))
 * </pre>
 */
public final class PingDatagram {
    public static final int REQUEST_LEN = 128;
    public static final int MAX_HOSTNAME = 70;
    private static final byte[] REQUEST_MAGIC = "RCNP".getBytes(US_ASCII);
    private static final byte[] REPLY_MAGIC = "RCNR".getBytes(US_ASCII);
    private static final int NONCE_LEN = 16;
    private static final int MAC_LEN = 32;
    private static final int REQUEST_MAC_AT = REQUEST_LEN - MAC_LEN;
    private static final int REPLY_HEAD = 4 + 1 + NONCE_LEN + 4 + 1;

    private PingDatagram() {
    }

    /** What an agent said about itself. */
    public record Reply(long uptimeSeconds, String hostname) {
    }

    public static byte[] request(Key key, byte[] nonce) {
        byte[] req = ByteBuffer.allocate(REQUEST_LEN).put(REQUEST_MAGIC).put((byte) Limits.VERSION)
                .put(key.kid()).put(nonce).array();
        System.arraycopy(mac(key, "rcon1 ping request", Arrays.copyOf(req, REQUEST_MAC_AT)), 0, req, REQUEST_MAC_AT, MAC_LEN);
        return req;
    }

    /** The kid a well-formed request names, before its mac is checked; empty if malformed. */
    public static Optional<byte[]> kidOf(byte[] datagram, int length) {
        if (length != REQUEST_LEN || !Arrays.equals(datagram, 0, 4, REQUEST_MAGIC, 0, 4) || datagram[4] != Limits.VERSION) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(datagram, 5, 5 + Limits.KID_LEN));
    }

    /** True when {@code request} carries a valid mac for {@code key} (constant-time compare). */
    public static boolean verifyRequest(Key key, byte[] request) {
        byte[] expected = mac(key, "rcon1 ping request", Arrays.copyOf(request, REQUEST_MAC_AT));
        return Crypto.constantTimeEquals(expected, Arrays.copyOfRange(request, REQUEST_MAC_AT, REQUEST_LEN));
    }

    /** The reply to a verified request; at most as long as the request. */
    public static byte[] reply(Key key, byte[] request, long uptimeSeconds, String hostname) {
        byte[] name = hostname.getBytes(UTF_8);
        name = Arrays.copyOf(name, Math.min(name.length, MAX_HOSTNAME));
        byte[] nonce = Arrays.copyOfRange(request, 5 + Limits.KID_LEN, 5 + Limits.KID_LEN + NONCE_LEN);
        ByteBuffer buf = ByteBuffer.allocate(REPLY_HEAD + name.length + MAC_LEN).put(REPLY_MAGIC)
                .put((byte) Limits.VERSION).put(nonce).putInt((int) Math.min(uptimeSeconds, 0xFFFFFFFFL))
                .put((byte) name.length).put(name);
        byte[] body = Arrays.copyOf(buf.array(), buf.position());
        return buf.put(mac(key, "rcon1 ping reply", concat(key.kid(), body))).array();
    }

    /** The nonce a reply echoes, for matching it to its request; empty if malformed. */
    public static Optional<byte[]> nonceOf(byte[] datagram, int length) {
        if (length < REPLY_HEAD + MAC_LEN || length > REQUEST_LEN || !Arrays.equals(datagram, 0, 4, REPLY_MAGIC, 0, 4)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(datagram, 5, 5 + NONCE_LEN));
    }

    /** Checks a reply's mac and reads it; empty when it does not authenticate. */
    public static Optional<Reply> openReply(Key key, byte[] datagram, int length) {
        if (nonceOf(datagram, length).isEmpty()) {
            return Optional.empty();
        }
        int hlen = datagram[REPLY_HEAD - 1] & 0xFF;
        if (REPLY_HEAD + hlen + MAC_LEN != length) {
            return Optional.empty();
        }
        byte[] body = Arrays.copyOf(datagram, length - MAC_LEN);
        byte[] expected = mac(key, "rcon1 ping reply", concat(key.kid(), body));
        if (!Crypto.constantTimeEquals(expected, Arrays.copyOfRange(datagram, length - MAC_LEN, length))) {
            return Optional.empty();
        }
        long uptime = ByteBuffer.wrap(datagram, 5 + NONCE_LEN, 4).getInt() & 0xFFFFFFFFL;
        return Optional.of(new Reply(uptime, new String(datagram, REPLY_HEAD, hlen, UTF_8)));
    }

    private static byte[] mac(Key key, String label, byte[] message) {
        byte[] es = Handshake.earlySecret(key.psk());
        byte[] macKey = Crypto.expand(es, label.getBytes(US_ASCII), 32);
        try {
            return Crypto.hmac(macKey, message);
        } finally {
            Crypto.wipe(es, macKey);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
