package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.common.concurrent.Threads;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many hosts writing long lines in odd-sized pieces at once: every line comes out whole. */
@Timeout(60)
class LiveOutputTest {
    @Test
    void interleavedWritersOfLongLinesNeverMix() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LiveOutput live = new LiveOutput(new Screen(out, err, false));
        int hosts = 8;
        int linesPerHost = 40;
        ExecutorService pool = Executors.newFixedThreadPool(hosts, Threads.factory("writer"));
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                String host = "host" + h;
                Random random = new Random(h);
                writers.add(pool.submit(() -> {
                    StringBuilder all = new StringBuilder();
                    for (int i = 0; i < linesPerHost; i++) {
                        all.append(line(host, i)).append('\n');
                    }
                    byte[] bytes = all.toString().getBytes(UTF_8);
                    int off = 0;
                    while (off < bytes.length) {
                        int n = Math.min(bytes.length - off, 1 + random.nextInt(5000));
                        byte[] piece = java.util.Arrays.copyOfRange(bytes, off, off + n);
                        live.stdout(host, piece);
                        off += n;
                    }
                    live.done(new HostResult(host, Outcome.OK, null, 1, null));
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Integer> next = new HashMap<>();
        String[] lines = out.toString(UTF_8).split("\n");
        assertEquals(hosts * linesPerHost, lines.length);
        for (String line : lines) {
            String host = line.substring(0, line.indexOf(": "));
            int i = next.merge(host, 1, Integer::sum) - 1;
            assertEquals(host + ": " + line(host, i), line);
        }
    }

    /** Lines up to 20 KB, so that most arrive in several pieces. */
    private static String line(String host, int i) {
        return (host + "-line-" + i + "-").repeat(1 + (i * 37) % 1000);
    }

    @Test
    void stderrLinesAreMarkedAndAPartialLastLineIsCompleted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LiveOutput live = new LiveOutput(new Screen(out, err, false));
        live.stdout("web1", "a\nb".getBytes(UTF_8));
        live.stderr("web1", "oops".getBytes(UTF_8));
        live.done(new HostResult("web1", Outcome.FAILED,
                new dev.rcon.common.msg.Exit(1, 3, null, false, 5, 3, 4), 5, null));
        assertEquals("web1: a\nweb1: b\n", out.toString(UTF_8));
        assertEquals("web1!: oops\nweb1!: [exit 3]\n", err.toString(UTF_8));
    }
}
