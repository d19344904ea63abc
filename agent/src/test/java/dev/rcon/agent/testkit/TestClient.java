package dev.rcon.agent.testkit;

import dev.rcon.common.auth.ClientHandshake;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Stderr;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A low-level rcon/1 client for agent tests: real socket, real handshake, and a way to alter
 * the bytes of a sealed record before they leave.
 */
public final class TestClient implements AutoCloseable {
    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Tap tap;
    private final java.util.Map<Integer, java.util.ArrayDeque<Message>> pending = new java.util.HashMap<>();
    private final java.util.Map<Integer, dev.rcon.common.flow.ReceiveWindow> windows = new java.util.HashMap<>();
    private final java.util.Map<Integer, Long> granted = new java.util.HashMap<>();
    private boolean grants = true;
    private Hello hello;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        MessageCodec codec = MessageCodec.shared();
        this.tap = new Tap(socket.getOutputStream());
        this.reader = new FrameReader(new java.io.BufferedInputStream(socket.getInputStream()), codec);
        this.writer = new FrameWriter(tap, codec);
    }

    /** Connects and authenticates; the hello is read and kept. */
    public static TestClient connect(int port, Key key) throws IOException {
        TestClient client = new TestClient(new Socket(InetAddress.getLoopbackAddress(), port));
        new ClientHandshake(key, new SecureRandom()).run(client.reader, client.writer);
        client.hello = (Hello) client.receive();
        return client;
    }

    /** Connects from local address {@code from} (say 127.0.0.2), as another peer would. */
    public static TestClient connectFrom(InetAddress from, int port, Key key) throws IOException {
        TestClient client = new TestClient(new Socket(InetAddress.getLoopbackAddress(), port, from, 0));
        new ClientHandshake(key, new SecureRandom()).run(client.reader, client.writer);
        client.hello = (Hello) client.receive();
        return client;
    }

    /** Authenticates over {@code socket}, already connected (and perhaps idle for a while). */
    public static TestClient over(Socket socket, Key key) throws IOException {
        TestClient client = new TestClient(socket);
        new ClientHandshake(key, new SecureRandom()).run(client.reader, client.writer);
        client.hello = (Hello) client.receive();
        return client;
    }

    /**
     * What the agent answers, after M0, to a handshake with {@code key} from local address
     * {@code from}: the handshake must fail; the bytes are compared between denial paths.
     */
    public static byte[] deniedAnswer(InetAddress from, int port, Key key) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            s.setSoTimeout(20_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            java.io.InputStream in = new java.io.FilterInputStream(s.getInputStream()) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    received.write(b, off, Math.max(n, 0));
                    return n;
                }
            };
            MessageCodec codec = MessageCodec.shared();
            try {
                new ClientHandshake(key, new SecureRandom()).run(new FrameReader(in, codec), new FrameWriter(s.getOutputStream(), codec));
                throw new IllegalStateException("the handshake with key " + key.name() + " was not denied");
            } catch (dev.rcon.common.auth.AuthenticationException expected) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            byte[] all = received.toByteArray();
            return java.util.Arrays.copyOfRange(all, 4 + dev.rcon.common.wire.Limits.M0_LEN, all.length);
        }
    }

    public Hello hello() {
        return hello;
    }

    public void send(Message message) throws IOException {
        writer.send(message);
    }

    /** Sends a record whose header is the given JSON text, as a hostile or buggy console would. */
    public void sendHeader(String json) throws IOException {
        writer.sendHeader(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0]);
    }

    /** Sends a record whose header is exactly {@code header} (any bytes, within the limit) and {@code payload}. */
    public void sendRecord(byte[] header, byte[] payload) throws IOException {
        writer.sendHeader(header, payload);
    }

    /** Seals {@code message} but hands its wire bytes to {@code tamper} before sending. */
    public byte[] seal(Message message) throws IOException {
        synchronized (tap) {
            tap.capture = new ByteArrayOutputStream();
            try {
                writer.send(message);
                return tap.capture.toByteArray();
            } finally {
                tap.capture = null;
            }
        }
    }

    public void sendTampered(Message message, UnaryOperator<byte[]> tamper) throws IOException {
        sendRaw(tamper.apply(seal(message)));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * The next record. Like a console that consumed what it read, this gives the agent credit
     * back for output and file data as it arrives, and takes the agent's {@code window} records
     * in passing ({@link #granted}); {@link #withholdWindows} turns both off.
     */
    public Message receive() throws IOException {
        Message m = reader.receive();
        while (grants && m instanceof dev.rcon.common.msg.Window w) {
            granted.merge(w.id(), (long) w.bytes(), Long::sum);
            m = reader.receive();
        }
        if (grants && (m instanceof Stdout || m instanceof Stderr || m instanceof dev.rcon.common.msg.Data)) {
            int n = ((Message.WithPayload) m).payload().length;
            dev.rcon.common.flow.ReceiveWindow window = windows.computeIfAbsent(m.requestId(),
                    dev.rcon.common.flow.ReceiveWindow::new);
            window.received(n);
            int grant = window.consumed(n);
            if (grant > 0) {
                send(new dev.rcon.common.msg.Window(m.requestId(), grant));
            }
        }
        return m;
    }

    /** The credit the agent gave for request {@code id} so far (window records absorbed by receive). */
    public long granted(int id) {
        return granted.getOrDefault(id, 0L);
    }

    /** From now on, never gives the agent window: a console that stopped reading its output. */
    public TestClient withholdWindows() {
        grants = false;
        return this;
    }

    /** What a command sent back, in order. */
    public record Run(List<Message> events, byte[] stdout, byte[] stderr, Exit exit) {
    }

    /** Sends {@code exec} and collects everything about it until its exit (or error). */
    public Run run(Exec exec) throws IOException {
        send(exec);
        return collect(exec.id());
    }

    /** Collects request {@code id}'s messages; those of other requests are kept for their turn. */
    public Run collect(int id) throws IOException {
        List<Message> events = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.util.ArrayDeque<Message> mine = pending.computeIfAbsent(id, k -> new java.util.ArrayDeque<>());
        while (true) {
            Message m = mine.isEmpty() ? receive() : mine.poll();
            if (m.requestId() == null) {
                continue;
            }
            if (m.requestId() != id) {
                pending.computeIfAbsent(m.requestId(), k -> new java.util.ArrayDeque<>()).add(m);
                continue;
            }
            events.add(m);
            if (m instanceof Stdout s) {
                out.writeBytes(s.payload());
            } else if (m instanceof Stderr s) {
                err.writeBytes(s.payload());
            } else if (m instanceof Exit e) {
                return new Run(events, out.toByteArray(), err.toByteArray(), e);
            } else if (m instanceof dev.rcon.common.msg.ErrorReply) {
                return new Run(events, out.toByteArray(), err.toByteArray(), null);
            }
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Forwards to the socket, or captures while a test seals a record to tamper with. */
    private static final class Tap extends OutputStream {
        private final OutputStream out;
        private volatile ByteArrayOutputStream capture;

        Tap(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteArrayOutputStream c = capture;
            if (c != null) {
                c.write(b, off, len);
            } else {
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
