package dev.rcon.console.testkit;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AgentHandshake;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An agent that breaks the protocol on purpose (a compromised host): it completes a real
 * handshake for {@code 127.0.0.1} of a fleet key, sends {@code hello}, then plays a script
 * against the console on 127.0.0.1.
 */
public final class FakeAgent implements AutoCloseable {
    /** What the fake agent does once the console has its hello. */
    @FunctionalInterface
    public interface Script {
        void play(Peer peer) throws Exception;
    }

    /**
     * A wedged or compromised host: takes the first request, says it started (counting down
     * {@code started}), then never ends it, whatever it is told, until the console closes the
     * connection or {@code seconds} pass.
     */
    public static Script startsAndNeverEnds(java.util.concurrent.CountDownLatch started, int seconds) {
        return peer -> {
            if (!(peer.receive() instanceof dev.rcon.common.msg.Exec)) {
                throw new AssertionError("expected exec first");
            }
            peer.send(new dev.rcon.common.msg.Started(1, 42));
            started.countDown();
            peer.closedWithin(seconds);
        };
    }

    /** The fake agent's end of the session. */
    public static final class Peer {
        private final Socket socket;
        private final FrameReader reader;
        private final FrameWriter writer;
        private final Tap tap;

        Peer(Socket socket, FrameReader reader, FrameWriter writer, Tap tap) {
            this.socket = socket;
            this.reader = reader;
            this.writer = writer;
            this.tap = tap;
        }

        public Message receive() throws IOException {
            return reader.receive();
        }

        public void send(Message message) throws IOException {
            writer.send(message);
        }

        public void sendHeader(String json) throws IOException {
            writer.sendHeader(json.getBytes(StandardCharsets.UTF_8), new byte[0]);
        }

        /** Sends {@code message} with the last byte of its tag flipped. */
        public void sendWithBadTag(Message message) throws IOException {
            tap.flipLastByteOfNextWrite = true;
            writer.send(message);
        }

        /** How many raw bytes the console sends from now until it closes (or {@code seconds} pass: -1). */
        public int bytesUntilEof(int seconds) throws IOException {
            socket.setSoTimeout(seconds * 1000);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            int total = 0;
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                }
                return total;
            } catch (SocketTimeoutException e) {
                return -1;
            } catch (IOException e) {
                return total;
            }
        }

        /** Waits up to {@code seconds} for the console to close; false if it still holds the connection. */
        public boolean closedWithin(int seconds) throws IOException {
            socket.setSoTimeout(seconds * 1000);
            try {
                while (true) {
                    reader.receive();
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }

    /** Passes writes through; can corrupt one. */
    private static final class Tap extends OutputStream {
        private final OutputStream out;
        volatile boolean flipLastByteOfNextWrite;

        Tap(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (flipLastByteOfNextWrite && len > 0) {
                flipLastByteOfNextWrite = false;
                byte[] copy = Arrays.copyOfRange(b, off, off + len);
                copy[len - 1] ^= 1;
                out.write(copy);
            } else {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    private final ServerSocket server;
    private final CompletableFuture<Void> played = new CompletableFuture<>();
    private volatile Socket accepted;

    private FakeAgent(Key fleetKey, Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Key key = TestKeys.forHost(fleetKey, TestAgent.LABEL);
        // A thread of its own, never the common pool: a script may block for long (a host that
        // never ends its command), and on JDK 25 the pool's one worker (2 cores) also runs the
        // in-process agents' exit stages, which would wait behind it in every later test.
        dev.rcon.common.concurrent.Threads.start("fake-agent-" + server.getLocalPort(), () -> {
            try {
                play(key, script);
                played.complete(null);
            } catch (Throwable e) {
                played.completeExceptionally(e);
            }
        });
    }

    private void play(Key key, Script script) {
        try {
            try (Socket s = server.accept()) {
                accepted = s;
                Tap tap = new Tap(s.getOutputStream());
                FrameReader reader = new FrameReader(s.getInputStream(), MessageCodec.shared());
                FrameWriter writer = new FrameWriter(tap, MessageCodec.shared());
                new AgentHandshake(kid -> Arrays.equals(kid, key.kid()) ? Optional.of(key) : Optional.empty(),
                        new SecureRandom()).run(reader, writer);
                writer.send(new Hello("rcon-agent/fake", "fake", "root", "0011223344556677", 8));
                script.play(new Peer(s, reader, writer, tap));
            }
        } catch (Exception e) {
            throw new IllegalStateException("the fake agent's script failed: " + e, e);
        }
    }

    public static FakeAgent start(Key fleetKey, Script script) throws IOException {
        return new FakeAgent(fleetKey, script);
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Waits for the script to end; rethrows what failed in it (its assertions, too). */
    public void await() throws Exception {
        try {
            played.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException ise && ise.getCause() != null
                    ? ise.getCause() : e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    /** Closes the listener and the session, which ends a script still waiting on the console. */
    @Override
    public void close() throws IOException {
        server.close();
        Socket s = accepted;
        if (s != null) {
            s.close();
        }
    }

    /** For messages in assertions. */
    static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
