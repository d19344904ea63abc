package dev.rcon.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Stdout;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameWriterTest {
    private final MessageCodec codec = MessageCodec.shared();
    private LoopbackPair pair;
    private Socket sending;
    private FrameWriter writer;
    private FrameReader reader;

    @BeforeEach
    void connect() throws Exception {
        pair = new LoopbackPair();
        sending = pair.sending;
        writer = new FrameWriter(sending.getOutputStream(), codec);
        writer.startRecords(pair.cipher());
        reader = new FrameReader(pair.receiving.getInputStream(), codec);
        reader.startRecords(pair.cipher());
    }

    @AfterEach
    void disconnect() throws Exception {
        pair.close();
    }

    /** Everything the peer receives until the sender's EOF. */
    private List<Message> receivedUntilEof() throws Exception {
        List<Message> messages = new ArrayList<>();
        EOFException end = assertThrows(EOFException.class, () -> {
            while (true) {
                messages.add(reader.receive());
            }
        });
        assertEquals("connection closed before record", end.getMessage());
        return messages;
    }

    @Test
    void nothingIsSentAfterCloseAndASecondCloseIsANoOp() throws Exception {
        writer.send(new Ping(1));
        writer.send(new Close());
        assertTrue(writer.isClosed());
        writer.send(new Close());
        SessionClosedException e = assertThrows(SessionClosedException.class, () -> writer.send(new Ping(2)));
        assertEquals("cannot send ping: this side has sent close", e.getMessage());
        assertEquals(ErrorCode.IO, e.code());
        assertEquals("cannot send a raw header: this side has sent close", assertThrows(SessionClosedException.class,
                () -> writer.sendHeader(codec.encode(new Ping(3)), new byte[0])).getMessage());
        sending.shutdownOutput();
        assertEquals(List.of(new Ping(1), new Close()), receivedUntilEof());
    }

    @Test
    void noThreadSendsAfterAnotherHasSentClose() throws Exception {
        int senders = 4;
        CountDownLatch flowing = new CountDownLatch(senders);
        AtomicInteger refused = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            int base = i * 1_000_000;
            threads.add(Threads.start("test-sender-" + i, () -> {
                try {
                    for (int n = 1; ; n++) {
                        writer.send(new Ping(base + n));
                        if (n == 1) {
                            flowing.countDown();
                        }
                    }
                } catch (SessionClosedException closed) {
                    refused.incrementAndGet();
                } catch (Throwable other) {
                    unexpected.add(other);
                }
            }));
        }
        List<Message> received = new CopyOnWriteArrayList<>();
        Thread receiver = Threads.start("test-receiver", () -> {
            try {
                received.addAll(receivedUntilEof());
            } catch (Throwable e) {
                unexpected.add(e);
            }
        });
        flowing.await();
        writer.send(new Close());
        for (Thread t : threads) {
            t.join();
        }
        sending.shutdownOutput();
        receiver.join();
        assertEquals(List.of(), unexpected);
        assertEquals(senders, refused.get());
        assertEquals(new Close(), received.get(received.size() - 1));
        received.subList(0, received.size() - 1).forEach(m -> assertInstanceOf(Ping.class, m));
    }

    /**
     * Reader and writer each keep one buffer for records up to a chunk and use a fresh array
     * for larger ones; sizes that alternate across that line must never leave stale bytes.
     */
    @Test
    void recordsOfEverySizeArriveWholeWhetherOrNotTheyFitTheKeptBuffer() throws Exception {
        int[] sizes = {Limits.MAX_PAYLOAD, 10, Limits.CHUNK, 0, RecordBuffer.KEPT, 3, RecordBuffer.KEPT - 60,
            Limits.CHUNK + 1, 1, Limits.MAX_PAYLOAD};
        List<byte[]> sent = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int size : sizes) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            sent.add(payload);
        }
        List<Throwable> failed = new CopyOnWriteArrayList<>();
        Thread sender = Threads.start("test-sender", () -> {
            try {
                for (int i = 0; i < sent.size(); i++) {
                    writer.send(Data.chunk(i + 1, sent.get(i)));
                }
            } catch (Throwable e) {
                failed.add(e);
                try {
                    sending.close();
                } catch (java.io.IOException ignored) {
                    // The receiver sees EOF either way, and the test reports the sender's failure.
                }
            }
        });
        try {
            for (int i = 0; i < sent.size(); i++) {
                Data data = assertInstanceOf(Data.class, reader.receive());
                assertEquals(i + 1, data.id());
                assertArrayEquals(sent.get(i), data.payload(), "payload of record " + i + " (" + sizes[i] + " bytes)");
            }
        } finally {
            sender.join();
            assertEquals(List.of(), failed);
        }
    }

    /**
     * RCON1.md 3: a side closes the session before its sequence number reaches 2^24. The writer
     * sends close by itself with the number it kept, so a sender that swallows the exception (a
     * console forwarding its stdin) cannot leave the session open and its peer waiting.
     */
    @Test
    void atItsLimitTheWriterSendsCloseWithTheLastSequenceNumber() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter limited = new FrameWriter(wire, codec);
        RecordCipher sealer = new RecordCipher(new byte[32], new byte[12]).atSequence(Limits.MAX_SEQ - 2);
        limited.startRecords(sealer);
        limited.send(new Ping(1));
        RecordLimitException e = assertThrows(RecordLimitException.class, () -> limited.send(new Ping(2)));
        assertEquals("session reached its limit of 16777216 records in one direction; it must close", e.getMessage());
        assertTrue(limited.isClosed() && limited.limitReached());
        assertEquals(Limits.MAX_SEQ, sealer.sequence());
        limited.send(new Close());
        assertThrows(SessionClosedException.class, () -> limited.send(new Ping(3)));
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(wire.toByteArray()), codec);
        reader.startRecords(new RecordCipher(new byte[32], new byte[12]).atSequence(Limits.MAX_SEQ - 2));
        assertEquals(new Ping(1), reader.receive());
        assertInstanceOf(Close.class, reader.receive());
    }

    /** A slice of a buffer goes out as the very bytes of a message carrying a copy of it. */
    @Test
    void aSliceSentWithItsCarrierIsTheSameRecordAsACopySent() throws Exception {
        byte[] buf = new byte[Limits.CHUNK + 100];
        new SecureRandom().nextBytes(buf);
        ByteArrayOutputStream sliced = new ByteArrayOutputStream();
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        FrameWriter bySlice = new FrameWriter(sliced, codec);
        FrameWriter byCopy = new FrameWriter(copied, codec);
        bySlice.startRecords(new RecordCipher(new byte[32], new byte[12]));
        byCopy.startRecords(new RecordCipher(new byte[32], new byte[12]));
        int[][] slices = {{0, 0}, {7, 1}, {100, Limits.CHUNK}, {0, buf.length}};
        for (int[] slice : slices) {
            bySlice.send(new Stdout(3, new byte[0]), buf, slice[0], slice[1]);
            byCopy.send(new Stdout(3, java.util.Arrays.copyOfRange(buf, slice[0], slice[0] + slice[1])));
        }
        assertArrayEquals(copied.toByteArray(), sliced.toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> bySlice.send(new Stdout(3, new byte[0]), buf, 200, buf.length));
    }
}
