package dev.rcon.agent.archive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.wire.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one session {@link ClassArchive} records, against a local user who races it. */
@Timeout(60)
class TrainingTest {
    private static final int FLOOD = 100;

    @TempDir
    Path dir;

    /**
     * Opens {@link #FLOOD} connections from 127.0.0.1, as the training's console is, every tenth
     * sending garbage, and waits until the agent has greeted each (or hung up): by then the agent
     * has weighed every one of them against the training's handshake, still waiting for its M1.
     */
    private static void flood(InetSocketAddress address, List<Socket> sockets) {
        try {
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket(address.getAddress(), address.getPort());
                s.setSoTimeout(20_000);
                sockets.add(s);
                if (i % 10 == 0) {
                    s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            for (Socket s : sockets) {
                s.getInputStream().readNBytes(4 + Limits.M0_LEN);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFloodOfLocalConnectionsWhileItAuthenticatesCannotStopTheTraining() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            Training.run(dir, new SecureRandom(), address -> flood(address, sockets));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertTrue(sockets.size() == FLOOD, "the flood opened " + sockets.size() + " connections");
    }
}
