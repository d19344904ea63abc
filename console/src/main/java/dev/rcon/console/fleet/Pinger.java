package dev.rcon.console.fleet;

import dev.rcon.common.auth.HostKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.PingDatagram;
import dev.rcon.console.client.Target;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rcon ping}: one UDP socket for every host. Each try sends a request with a fresh nonce
 * to every host still silent, then reads replies until the try's time is up; a reply counts
 * only when its HMAC checks out and it echoes a nonce we sent.
 */
public final class Pinger {
    /** One host's answer, or why there was none. */
    public record Result(String host, boolean up, double rttMillis, PingDatagram.Reply reply, String why) {
    }

    private final Key key;
    private final Duration perTry;
    private final int tries;
    private final SecureRandom random = new SecureRandom();

    public Pinger(Key key, Duration perTry, int tries) {
        if (tries < 1 || tries > 20) {
            throw new IllegalArgumentException("tries must be 1 to 20 but was " + tries);
        }
        this.key = key;
        this.perTry = perTry;
        this.tries = tries;
    }

    private static final class Pending {
        final String host;
        Key key;
        InetSocketAddress address;
        long sentNanos;
        Result result;

        Pending(String host) {
            this.host = host;
        }
    }

    /** Pings each host, reached and keyed as {@link Target#parse} reads it. */
    public List<Result> ping(List<String> hosts) throws IOException {
        return ping(hosts, Target::parse);
    }

    /** Pings each host, reached and keyed as {@code targets} says (the inventory's address and label). */
    public List<Result> ping(List<String> hosts, java.util.function.Function<String, Target> targets) throws IOException {
        Map<String, Pending> all = new LinkedHashMap<>();
        for (String host : hosts) {
            Pending p = new Pending(host);
            try {
                Target t = targets.apply(host);
                p.key = HostKeys.derive(key, t.hostLabel());
                p.address = new InetSocketAddress(t.host(), t.port());
                if (p.address.isUnresolved()) {
                    p.result = new Result(host, false, 0, null, "unknown host");
                }
            } catch (IllegalArgumentException e) {
                p.result = new Result(host, false, 0, null, e.getMessage());
            }
            all.put(host, p);
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int attempt = 0; attempt < tries; attempt++) {
                Map<ByteBuffer, Pending> sent = new HashMap<>();
                for (Pending p : all.values()) {
                    if (p.result == null) {
                        send(socket, p, sent);
                    }
                }
                if (sent.isEmpty()) {
                    break;
                }
                receive(socket, sent);
            }
        }
        List<Result> results = new ArrayList<>();
        for (Pending p : all.values()) {
            results.add(p.result != null ? p.result
                    : new Result(p.host, false, 0, null, "no answer to " + tries + (tries == 1 ? " try" : " tries")));
        }
        return results;
    }

    private void send(DatagramSocket socket, Pending p, Map<ByteBuffer, Pending> sent) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        byte[] request = PingDatagram.request(p.key, nonce);
        try {
            p.sentNanos = System.nanoTime();
            socket.send(new DatagramPacket(request, request.length, p.address));
            sent.put(ByteBuffer.wrap(nonce), p);
        } catch (IOException e) {
            p.result = new Result(p.host, false, 0, null, e.getMessage());
        }
    }

    private void receive(DatagramSocket socket, Map<ByteBuffer, Pending> sent) throws IOException {
        long deadline = System.nanoTime() + perTry.toNanos();
        byte[] buf = new byte[PingDatagram.REQUEST_LEN + 1];
        while (!sent.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return;
            }
            long now = System.nanoTime();
            Optional<byte[]> nonce = PingDatagram.nonceOf(packet.getData(), packet.getLength());
            // Matched by nonce, not by source address: an agent on 0.0.0.0 or a multi-homed host
            // answers from the address its route picks. The nonce is random and under the HMAC.
            Pending p = nonce.map(n -> sent.get(ByteBuffer.wrap(n))).orElse(null);
            if (p == null) {
                continue;
            }
            Optional<PingDatagram.Reply> reply = PingDatagram.openReply(p.key, packet.getData(), packet.getLength());
            if (reply.isPresent()) {
                sent.remove(ByteBuffer.wrap(nonce.get()));
                p.result = new Result(p.host, true, (now - p.sentNanos) / 1e6, reply.get(), null);
            }
        }
    }
}
