package dev.rcon.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Ping;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An authenticated but hostile peer against the reader's kept record array, over loopback: it
 * holds the session's keys, so every record it sends opens, and only the reader's own checks
 * stand between its bytes and the session.
 */
@Timeout(20)
class HostileRecordsTest {
    private final MessageCodec codec = MessageCodec.shared();
    private LoopbackPair pair;
    private Socket sending;
    private OutputStream peer;
    private RecordCipher sealer;
    private FrameReader reader;

    @BeforeEach
    void connect() throws Exception {
        pair = new LoopbackPair();
        sending = pair.sending;
        peer = sending.getOutputStream();
        sealer = pair.cipher();
        // As Agent and RconClient build theirs: straight on the socket's stream.
        reader = new FrameReader(pair.receiving.getInputStream(), codec);
        reader.startRecords(pair.cipher());
    }

    @AfterEach
    void disconnect() throws Exception {
        pair.close();
    }

    private static byte[] plain(String header, byte[] payload) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + h.length + payload.length).putInt(h.length).put(h).put(payload).array();
    }

    @Test
    void aHeaderLengthReachingIntoAnEarlierLongerRecordIsRefused() throws Exception {
        peer.write(sealer.seal(plain("{\"type\":\"data\",\"id\":1}", new byte[5000])));
        // hlen claims 22 bytes, two follow; the kept array still holds the older record after them.
        peer.write(sealer.seal(ByteBuffer.allocate(6).putInt(22).put("{}".getBytes(StandardCharsets.US_ASCII)).array()));
        peer.flush();
        assertInstanceOf(Data.class, reader.receive());
        ProtocolException e = assertThrows(ProtocolException.class, reader::receive);
        assertEquals("expected a header of 1 to 16384 bytes inside the record but got hlen 22", e.getMessage());
    }

    @Test
    void aRecordOfNothingButAHeaderLengthIsRefused() throws Exception {
        peer.write(sealer.seal(new byte[4]));
        peer.flush();
        ProtocolException e = assertThrows(ProtocolException.class, reader::receive);
        assertEquals("expected a header of 1 to 16384 bytes inside the record but got hlen 0", e.getMessage());
    }

    /** Four bytes announcing the largest record must not make the reader allocate a MiB for it. */
    @Test
    void aLengthAloneCostsTheReaderLittleMemory() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        peer.write(sealer.seal(plain("{\"type\":\"ping\",\"id\":1}", new byte[0])));
        peer.write(ByteBuffer.allocate(4).putInt(Limits.MAX_RECORD).array());
        peer.flush();
        sending.shutdownOutput();
        assertInstanceOf(Ping.class, reader.receive());
        long before = threads.getCurrentThreadAllocatedBytes();
        EOFException e = assertThrows(EOFException.class, reader::receive);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals("connection closed inside record: expected " + Limits.MAX_RECORD + " bytes but got 0", e.getMessage());
        assertTrue(allocated < 256 * 1024, "allocated " + allocated + " bytes for a length alone");
    }

    /**
     * On JDK 17 a socket read stages through a direct buffer of the request's size, kept by the
     * thread and counted against the unit's MaxDirectMemorySize (32 MiB): a reader asking for a
     * whole 1 MiB record at once would keep 128 KiB in every session.
     */
    @Test
    void aSessionReaderKeepsNoMoreDirectMemoryThanOneChunk() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        byte[] record = sealer.seal(plain("{\"type\":\"data\",\"id\":1}", new byte[Limits.MAX_PAYLOAD]));
        AtomicReference<Object> got = new AtomicReference<>();
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        long before = direct.getMemoryUsed();
        Thread session = Threads.start("test-session-reader", () -> {
            try {
                got.set(reader.receive());
            } catch (Exception e) {
                got.set(e);
            }
            received.countDown();
            try {
                measured.await(); // alive while measured, as a session's reader is
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread writer = sendInPieces(record, 4096, got);
        writer.join(); // its own staging buffer goes with it
        received.await();
        long kept = direct.getMemoryUsed() - before;
        measured.countDown();
        session.join();
        assertInstanceOf(Data.class, got.get());
        assertTrue(kept <= Limits.CHUNK + 8192, "the session's reader keeps " + kept + " bytes of direct memory");
    }

    /**
     * The reader reads as much as its inbox has room for, so one read may end inside the next
     * frame, or hold several: every record still comes out whole and in order, a large one too.
     */
    @Test
    void recordsThatArriveTogetherComeOutWholeAndInOrder() throws Exception {
        int[] sizes = {0, 1, Limits.CHUNK, 63, Limits.CHUNK - 1, RecordBuffer.KEPT, 5000, Limits.MAX_PAYLOAD, 2, Limits.CHUNK};
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < sizes.length; i++) {
            burst.write(sealer.seal(plain("{\"type\":\"data\",\"id\":" + (i + 1) + "}", payload(i, sizes[i]))));
        }
        AtomicReference<Object> failed = new AtomicReference<>();
        Thread writer = sendInPieces(burst.toByteArray(), burst.size(), failed);
        for (int i = 0; i < sizes.length; i++) {
            Data data = assertInstanceOf(Data.class, reader.receive());
            assertEquals(i + 1, data.id());
            assertArrayEquals(payload(i, sizes[i]), data.payload(), "record " + (i + 1));
        }
        writer.join();
        assertNull(failed.get());
    }

    /** A frame that comes a few bytes at a time, its length split too, comes out whole. */
    @Test
    void aRecordThatTricklesInComesOutWhole() throws Exception {
        sending.setTcpNoDelay(true);
        byte[] record = sealer.seal(plain("{\"type\":\"data\",\"id\":7}", payload(7, 3000)));
        AtomicReference<Object> failed = new AtomicReference<>();
        Thread writer = sendInPieces(record, 3, failed);
        Data data = assertInstanceOf(Data.class, reader.receive());
        assertArrayEquals(payload(7, 3000), data.payload());
        writer.join();
        assertNull(failed.get());
    }

    /** The stream ends at each kind of place in a burst (records of KEPT and KEPT + 1 bytes among them): the reader says exactly where. */
    @Test
    void aStreamCutAnywhereSaysExactlyWhere() throws Exception {
        // A header of 22 bytes: frames of 42 + size bytes, so the third is exactly KEPT and the fourth KEPT + 1.
        int[] sizes = {0, 5000, RecordBuffer.KEPT - 42, RecordBuffer.KEPT - 41, 3};
        int[] starts = new int[sizes.length];
        List<Integer> cuts = new ArrayList<>();
        int end = 0;
        for (int i = 0; i < sizes.length; i++) {
            starts[i] = end;
            for (int d : new int[] {0, 1, 3, 4, 5, 4 + 42 + sizes[i] - 1}) {
                cuts.add(end + d);
            }
            end += 4 + 42 + sizes[i];
        }
        cuts.add(end);
        for (int cut : cuts) {
            try (LoopbackPair p = new LoopbackPair()) {
                RecordCipher s = p.cipher();
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 0; i < sizes.length; i++) {
                    burst.write(s.seal(plain("{\"type\":\"data\",\"id\":" + (i + 1) + "}", payload(i, sizes[i]))));
                }
                OutputStream out = p.sending.getOutputStream();
                Thread writer = Threads.start("test-peer", () -> {
                    try {
                        out.write(burst.toByteArray(), 0, cut);
                        p.sending.shutdownOutput();
                    } catch (Exception e) {
                        // the assertions below fail instead
                    }
                });
                FrameReader r = new FrameReader(p.receiving.getInputStream(), codec);
                r.startRecords(p.cipher());
                int i = 0;
                while (i < sizes.length && starts[i] + 4 + 42 + sizes[i] <= cut) {
                    assertArrayEquals(payload(i, sizes[i]), assertInstanceOf(Data.class, r.receive()).payload());
                    i++;
                }
                EOFException e = assertThrows(EOFException.class, r::receive);
                int into = i < sizes.length ? cut - starts[i] : 0;
                String expected = into == 0 ? "connection closed before record"
                        : into < 4 ? "connection closed inside the length of record"
                        : "connection closed inside record: expected " + (42 + sizes[i]) + " bytes but got " + (into - 4);
                assertEquals(expected, e.getMessage(), "cut at " + cut);
                writer.join();
            }
        }
    }

    /** Bytes that came with the last handshake frame stay for the records after it, a kept-size and a large one among them. */
    @Test
    void recordsThatCameWithTheLastHandshakeFrameAreKept() throws Exception {
        byte[] m2 = payload(9, Limits.M2_LEN);
        int[] sizes = {0, RecordBuffer.KEPT - 42, RecordBuffer.KEPT - 41, 7};
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        burst.write(ByteBuffer.allocate(4).putInt(m2.length).array());
        burst.write(m2);
        for (int i = 0; i < sizes.length; i++) {
            burst.write(sealer.seal(plain("{\"type\":\"data\",\"id\":" + (i + 1) + "}", payload(i, sizes[i]))));
        }
        AtomicReference<Object> failed = new AtomicReference<>();
        Thread writer = sendInPieces(burst.toByteArray(), burst.size(), failed);
        // The peer stays open: a reader that read on with a whole record in hand would wait here.
        pair.receiving.setSoTimeout(5000);
        FrameReader r = new FrameReader(pair.receiving.getInputStream(), codec);
        assertArrayEquals(m2, r.readFrame("M2", 0, Limits.M2_LEN));
        r.startRecords(pair.cipher());
        for (int i = 0; i < sizes.length; i++) {
            Data data = assertInstanceOf(Data.class, r.receive());
            assertEquals(i + 1, data.id());
            assertArrayEquals(payload(i, sizes[i]), data.payload());
        }
        writer.join();
        assertNull(failed.get());
    }

    /** A forged record that lies behind another in the inbox fails as itself. */
    @Test
    void aForgedRecordBehindAnotherFailsAsItself() throws Exception {
        peer.write(sealer.seal(plain("{\"type\":\"data\",\"id\":1}", payload(1, 100))));
        byte[] forged = sealer.seal(plain("{\"type\":\"data\",\"id\":2}", payload(2, 3000)));
        forged[forged.length - 1] ^= 1;
        peer.write(forged);
        peer.flush();
        assertArrayEquals(payload(1, 100), assertInstanceOf(Data.class, reader.receive()).payload());
        ProtocolException e = assertThrows(ProtocolException.class, reader::receive);
        assertEquals("record 1 failed authentication", e.getMessage());
    }

    /** Writes {@code bytes} on a thread of its own, {@code piece} bytes a write; a failure goes to {@code failed}. */
    private Thread sendInPieces(byte[] bytes, int piece, AtomicReference<Object> failed) {
        return Threads.start("test-peer", () -> {
            try {
                for (int off = 0; off < bytes.length; off += piece) {
                    peer.write(bytes, off, Math.min(piece, bytes.length - off));
                    peer.flush();
                }
            } catch (Exception e) {
                failed.compareAndSet(null, e);
            }
        });
    }

    private static byte[] payload(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
