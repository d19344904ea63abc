package dev.rcon.common.wire;

import dev.rcon.common.crypto.RecordCipher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;

/** A loopback socket pair whose ends share one record key and iv, as after a handshake. */
final class LoopbackPair implements AutoCloseable {
    final Socket sending;
    final Socket receiving;
    private final ServerSocket server;
    private final byte[] key = new byte[32];
    private final byte[] iv = new byte[12];

    LoopbackPair() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sending = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        receiving = server.accept();
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        random.nextBytes(iv);
    }

    /** A cipher at sequence 0: one for the sending end, another for the receiving end. */
    RecordCipher cipher() {
        return new RecordCipher(key, iv);
    }

    @Override
    public void close() throws IOException {
        sending.close();
        receiving.close();
        server.close();
    }
}
