package dev.rcon.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the reader takes records off the stream: few reads, and every record whole. */
@Timeout(10)
class FrameReaderTest {
    private final MessageCodec codec = MessageCodec.shared();
    private final byte[] key = new byte[32];
    private final byte[] iv = new byte[12];

    /** Counts the reads that reach the stream, and returns at most {@code piece(i)} bytes for read i. */
    private static final class PiecewiseStream extends FilterInputStream {
        private final Random pieces;
        private final int maxPiece;
        int reads;

        PiecewiseStream(InputStream in, long seed, int maxPiece) {
            super(in);
            this.pieces = new Random(seed);
            this.maxPiece = maxPiece;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, Math.min(len, 1 + pieces.nextInt(maxPiece)));
        }
    }

    private byte[] wireOf(List<byte[]> payloads) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire, codec);
        writer.startRecords(new RecordCipher(key, iv));
        for (int i = 0; i < payloads.size(); i++) {
            writer.send(Data.chunk(i + 1, payloads.get(i)));
        }
        return wire.toByteArray();
    }

    private FrameReader readerOf(InputStream in) {
        FrameReader reader = new FrameReader(in, codec);
        reader.startRecords(new RecordCipher(key, iv));
        return reader;
    }

    /**
     * A burst of small records (output of a command that writes a line at a time, a fleet's
     * replies) that has already arrived is taken in one read, not two or three per record: on a
     * socket each read is a system call, and a bulk stream's records were that many reads each.
     */
    @Test
    void smallRecordsThatArrivedTogetherAreTakenInOneRead() throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            payloads.add(("line " + i + "\n").getBytes());
        }
        PiecewiseStream in = new PiecewiseStream(new ByteArrayInputStream(wireOf(payloads)), 1, Integer.MAX_VALUE - 1);
        FrameReader reader = readerOf(in);
        for (int i = 0; i < payloads.size(); i++) {
            assertArrayEquals(payloads.get(i), assertInstanceOf(Data.class, reader.receive()).payload());
        }
        assertEquals(1, in.reads, "reads for 20 records that arrived together");
    }

    /**
     * Records of every size, up to the spec's largest, arrive whole and in order however the
     * stream cuts them: a length split from its body, a record across the buffer's end, records
     * larger than the buffer ever grows among small ones.
     */
    @Test
    void recordsArriveWholeHoweverTheStreamCutsThem() throws Exception {
        Random random = new Random(7);
        int[] sizes = {0, 1, 5000, Limits.CHUNK, Limits.CHUNK, 3, RecordBuffer.KEPT, RecordBuffer.KEPT - 60,
            FrameReader.GROWN, 10, Limits.MAX_PAYLOAD, Limits.CHUNK - 1, 7, Limits.CHUNK + 1, 2, Limits.CHUNK};
        List<byte[]> payloads = new ArrayList<>();
        for (int size : sizes) {
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            payloads.add(payload);
        }
        byte[] wire = wireOf(payloads);
        for (int maxPiece : new int[] {1, 3, 4096, 70_000, Integer.MAX_VALUE - 1}) {
            FrameReader reader = readerOf(new PiecewiseStream(new ByteArrayInputStream(wire), maxPiece, maxPiece));
            for (int i = 0; i < payloads.size(); i++) {
                Data data = assertInstanceOf(Data.class, reader.receive());
                assertEquals(i + 1, data.id());
                assertArrayEquals(payloads.get(i), data.payload(),
                        "record " + i + " (" + sizes[i] + " bytes) in pieces of at most " + maxPiece);
            }
            EOFException end = assertThrows(EOFException.class, reader::receive);
            assertEquals("connection closed before record", end.getMessage());
        }
    }

    /** A stream that ends inside a record says where, whichever part of it was buffered. */
    @Test
    void aStreamCutInsideARecordSaysHowMuchArrived() throws Exception {
        byte[] wire = wireOf(List.of(new byte[100]));
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 10);
        FrameReader reader = readerOf(new ByteArrayInputStream(cut));
        EOFException e = assertThrows(EOFException.class, reader::receive);
        int body = wire.length - 4;
        assertEquals("connection closed inside record: expected " + body + " bytes but got " + (body - 10),
                e.getMessage());
    }
}
