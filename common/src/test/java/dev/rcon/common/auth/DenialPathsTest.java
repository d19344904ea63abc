package dev.rcon.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.Limits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.SecureRandomParameters;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * V7: an unknown kid and a known kid with the wrong psk must cost the agent the same work, or
 * the time of the denial tells which kids exist. Time itself is not asserted (that would be a
 * flaky test; bench/DenialTiming.java measures it): the work that differed, a draw from the
 * random on one path only, is counted.
 */
@Timeout(20)
class DenialPathsTest {
    private final MessageCodec codec = new MessageCodec();
    private final Key good = Key.generate(new SecureRandom(), "good");

    /** A real SecureRandom that counts the bytes drawn from it. */
    private static final class CountingRandom extends SecureRandom {
        private final AtomicLong drawn = new AtomicLong();

        @Override
        public void nextBytes(byte[] bytes) {
            drawn.addAndGet(bytes.length);
            super.nextBytes(bytes);
        }

        @Override
        public void nextBytes(byte[] bytes, SecureRandomParameters params) {
            drawn.addAndGet(bytes.length);
            super.nextBytes(bytes, params);
        }

        @Override
        public byte[] generateSeed(int numBytes) {
            drawn.addAndGet(numBytes);
            return super.generateSeed(numBytes);
        }
    }

    /** Bytes the agent's handshake draws from its random to deny a console presenting {@code presented}. */
    private long drawnToDeny(Key presented) throws Exception {
        CountingRandom random = new CountingRandom();
        AgentHandshake handshake = new AgentHandshake(kid -> good.sameKid(kid) ? Optional.of(good) : Optional.empty(), random);
        long before = random.drawn.get();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> agent = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    FrameWriter w = new FrameWriter(s.getOutputStream(), codec);
                    try {
                        handshake.run(new FrameReader(s.getInputStream(), codec), w);
                    } catch (AuthenticationException e) {
                        AgentHandshake.deny(w);
                        throw e;
                    }
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                assertThrows(AuthenticationException.class, () -> new ClientHandshake(presented, new SecureRandom())
                        .run(new FrameReader(s.getInputStream(), codec), new FrameWriter(s.getOutputStream(), codec)));
            }
            ExecutionException denied = assertThrows(ExecutionException.class, () -> agent.get(10, TimeUnit.SECONDS));
            assertEquals("the proof did not check out (unknown key or wrong psk)", denied.getCause().getMessage());
        }
        return random.drawn.get() - before;
    }

    @Test
    void anUnknownKidDrawsNoMoreFromTheRandomThanAWrongPsk() throws Exception {
        long wrongPsk = drawnToDeny(new Key(good.kid(), Key.generate(new SecureRandom(), "x").psk(), "good"));
        long unknownKid = drawnToDeny(Key.generate(new SecureRandom(), "stranger"));
        assertEquals(Limits.NONCE_LEN, wrongPsk, "a denial draws Na and nothing else");
        assertEquals(wrongPsk, unknownKid, "bytes drawn to deny an unknown kid");
    }
}
