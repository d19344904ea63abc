package dev.rcon.agent.net;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.PingDatagram;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Answers {@code rcon ping} on UDP, on the same address and port as a TCP listener. Only a
 * request of exactly the request size whose HMAC checks out is answered, with a reply no larger
 * than the request; anything else is dropped without a word, so spoofed or malformed datagrams
 * cost the agent one HMAC and nobody else anything. A key is looked up as a handshake would:
 * one outside its {@code from=} or past its {@code expires=} is not answered either.
 */
final class PingResponder implements AutoCloseable {
    private final DatagramSocket socket;
    /** The key of a kid for a request from an address, as a handshake from there would find it. */
    private final BiFunction<byte[], InetAddress, Optional<Key>> keys;
    private final String hostname;
    private final long startNanos = System.nanoTime();
    private final SecureRandom random = new SecureRandom();

    PingResponder(DatagramSocket socket, BiFunction<byte[], InetAddress, Optional<Key>> keys, String hostname) {
        this.socket = socket;
        this.keys = keys;
        this.hostname = hostname;
    }

    void start(String name) {
        dev.rcon.common.concurrent.Threads.start("udp-" + name, this::serve);
    }

    private void serve() {
        byte[] buf = new byte[PingDatagram.REQUEST_LEN + 1];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                answer(packet);
            } catch (IOException | RuntimeException e) {
                // A bad datagram or a closed socket: nothing to answer, and the loop checks closed.
            }
        }
    }

    private void answer(DatagramPacket packet) throws IOException {
        Optional<byte[]> kid = PingDatagram.kidOf(packet.getData(), packet.getLength());
        if (kid.isEmpty()) {
            return;
        }
        byte[] request = Arrays.copyOf(packet.getData(), packet.getLength());
        Optional<Key> key = keys.apply(kid.get(), packet.getAddress());
        // An unknown kid costs the same HMAC as a known one, and gets the same silence as a bad mac.
        Key checked = key.orElseGet(() -> Key.generate(random, "dummy"));
        if (!PingDatagram.verifyRequest(checked, request) || key.isEmpty()) {
            return;
        }
        long uptime = (System.nanoTime() - startNanos) / 1_000_000_000L;
        byte[] reply = PingDatagram.reply(checked, request, uptime, hostname);
        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
