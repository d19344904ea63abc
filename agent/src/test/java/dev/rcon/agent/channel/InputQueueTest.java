package dev.rcon.agent.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attack: a put's data (like a command's stdin) sent one byte per record while the file's writer
 * cannot keep up (a slow or hung mount). The window counts payload bytes only, and each queued
 * record cost about 80 bytes of heap besides its byte: one put's 4 MiB window would have held
 * over 300 MiB. Both now wait in this queue, which gathers small payloads.
 */
@Timeout(10)
class InputQueueTest {
    @Test
    void oneBytePayloadsAreGatheredSoThatWhatWaitsCostsAboutWhatItCarries() {
        InputQueue queue = new InputQueue();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            byte[] one = {(byte) i};
            queue.add(one);
            sent.write(one[0]);
        }
        ByteArrayOutputStream taken = new ByteArrayOutputStream();
        int chunks = 0;
        for (InputQueue.Chunk c = queue.poll(); c != null; c = queue.poll()) {
            taken.write(c.bytes(), 0, c.length());
            chunks++;
        }
        assertEquals((100_000 + InputQueue.SMALL - 1) / InputQueue.SMALL, chunks, "one 1 KiB array per 1024 bytes");
        assertArrayEquals(sent.toByteArray(), taken.toByteArray(), "every byte, in order");
    }

    @Test
    void aLargePayloadWaitsAsItCameAndWhatFollowsStartsAChunkOfItsOwn() {
        InputQueue queue = new InputQueue();
        byte[] large = new byte[64 * 1024];
        queue.add(new byte[] {1, 2});
        queue.add(large);
        queue.add(new byte[] {3});
        queue.add(new byte[0]);

        assertArrayEquals(new byte[] {1, 2}, java.util.Arrays.copyOf(queue.poll().bytes(), 2));
        InputQueue.Chunk kept = queue.poll();
        assertSame(large, kept.bytes(), "no copy of a full-sized payload");
        assertEquals(large.length, kept.length());
        assertEquals(1, queue.poll().length());
        assertNull(queue.poll(), "an empty payload adds nothing");
    }

    @Test
    void clearingSaysHowManyBytesWereDropped() {
        InputQueue queue = new InputQueue();
        queue.add(new byte[5]);
        queue.add(new byte[2000]);
        assertEquals(2005, queue.clear());
        assertEquals(true, queue.isEmpty());
    }
}
