package dev.rcon.console.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --max-output SIZE}: each host's stdout and each host's stderr pass on their first SIZE/2
 * bytes as they come and keep only their last SIZE/2 after that; when the host is done, a line
 * {@code [rcon: N bytes dropped]} stands where the middle was, followed by the tail. So a console
 * facing 1000 hosts that each print gigabytes holds at most 1000 × SIZE bytes, and every output
 * (live, gathered, JSON, files) sees the same bounded stream.
 */
public final class BoundedOutput implements FleetOutput {
    private final FleetOutput next;
    private final int half;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    /** Head and tail of one stream of one host; the tail is a ring of {@code half} bytes. */
    private final class Stream {
        long passed;
        long dropped;
        byte[] ring;
        int end;
        boolean full;
        boolean headEndsLine = true;

        /** The part of {@code bytes} that goes on now, keeping what is beyond the head in the ring. */
        byte[] take(byte[] bytes) {
            int head = (int) Math.max(0, Math.min(bytes.length, half - passed));
            passed += head;
            if (head > 0) {
                headEndsLine = bytes[head - 1] == '\n';
            }
            for (int i = head; i < bytes.length; ) {
                if (ring == null) {
                    ring = new byte[half];
                }
                int n = Math.min(bytes.length - i, half - end);
                if (full) {
                    dropped += n;
                }
                System.arraycopy(bytes, i, ring, end, n);
                i += n;
                end += n;
                if (end == half) {
                    end = 0;
                    full = true;
                }
            }
            return head == bytes.length ? bytes : Arrays.copyOf(bytes, head);
        }

        /** The marker (when something was dropped) and the tail, in order. */
        byte[] rest() {
            if (ring == null) {
                return new byte[0];
            }
            byte[] tail = full ? concat(Arrays.copyOfRange(ring, end, half), Arrays.copyOf(ring, end))
                    : Arrays.copyOf(ring, end);
            if (dropped == 0) {
                return tail;
            }
            byte[] marker = ((headEndsLine ? "" : "\n") + "[rcon: " + dropped + " bytes dropped]\n").getBytes(StandardCharsets.US_ASCII);
            return concat(marker, tail);
        }
    }

    /** @param maxBytes per host and stream, at least 2 */
    public BoundedOutput(FleetOutput next, long maxBytes) {
        if (maxBytes < 2 || maxBytes > (1L << 31)) {
            throw new IllegalArgumentException("--max-output must be 2 bytes to 2G but was " + maxBytes);
        }
        this.next = next;
        this.half = (int) (maxBytes / 2);
    }

    private Stream stream(String host, boolean err) {
        return streams.computeIfAbsent((err ? "2 " : "1 ") + host, k -> new Stream());
    }

    @Override
    public void connected(String host, java.util.List<String> names) {
        next.connected(host, names);
    }

    @Override
    public void started(String host, long pid) throws IOException {
        next.started(host, pid);
    }

    @Override
    public void stdout(String host, byte[] bytes) throws IOException {
        byte[] now = stream(host, false).take(bytes);
        if (now.length > 0) {
            next.stdout(host, now);
        }
    }

    @Override
    public void stderr(String host, byte[] bytes) throws IOException {
        byte[] now = stream(host, true).take(bytes);
        if (now.length > 0) {
            next.stderr(host, now);
        }
    }

    @Override
    public void done(HostResult result) throws IOException {
        Stream out = streams.remove("1 " + result.host());
        Stream err = streams.remove("2 " + result.host());
        if (out != null && out.rest().length > 0) {
            next.stdout(result.host(), out.rest());
        }
        if (err != null && err.rest().length > 0) {
            next.stderr(result.host(), err.rest());
        }
        next.done(result);
    }

    @Override
    public void finish(Summary summary) throws IOException {
        next.finish(summary);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * Parses {@code 64K}, {@code 10M}, {@code 1G} (powers of 1024) or plain bytes.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    public static long parseSize(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        if (!t.isEmpty() && "KMG".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMG".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        if (!t.matches("[0-9]{1,10}")) {
            throw new IllegalArgumentException("--max-output takes a size like 64K, 10M or 1G but got '" + text + "'");
        }
        return Long.parseLong(t) * unit;
    }
}
