package dev.rcon.agent.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Failed and refused handshakes, logged so that a flood of them cannot flood the log: the first
 * event from an address is logged in full; after that its events are only counted, and each
 * {@link #flush} (once per {@code handshake_log_interval_ms}) writes one summary line per address
 * that had any. An address quiet for a whole interval is forgotten, so its next event is logged
 * in full again. At most {@code maxSources} addresses are tracked at once; events from others are
 * counted together.
 */
final class HandshakeLog {
    /** What happened to a handshake, as the summary counts it. */
    enum Kind {
        DENIED("denied"), BROKEN("broken"), TIMED_OUT("timed out"), DISPLACED("displaced"), REFUSED("refused"),
        /** Not a handshake: a penalty that started. */
        PENALISED("penalised");

        private final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    private final Log log;
    private final int maxSources;
    private final Map<String, Counts> byAddress = new LinkedHashMap<>();
    private final Counts others = new Counts();
    private long since = System.nanoTime();

    /** Events of one address since the last flush, and the latest in full. */
    private static final class Counts {
        final long[] byKind = new long[Kind.values().length];
        String last;

        void add(Kind kind, String line) {
            byKind[kind.ordinal()]++;
            if (kind != Kind.PENALISED) {
                last = line;
            }
        }

        boolean isEmpty() {
            return Arrays.stream(byKind).sum() == 0;
        }
    }

    HandshakeLog(Log log, int maxSources) {
        this.log = log;
        this.maxSources = maxSources;
    }

    /** Logs {@code line} if it is the first event from {@code address} in a while, else counts it. */
    void report(String address, Kind kind, String line) {
        synchronized (this) {
            Counts counts = byAddress.get(address);
            if (counts == null && byAddress.size() >= maxSources) {
                others.add(kind, line);
                return;
            }
            if (counts != null) {
                counts.add(kind, line);
                return;
            }
            byAddress.put(address, new Counts());
        }
        log.warn(line);
    }

    /** Writes one summary line per address with events since the last flush. */
    void flush() {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            String window = " in the last " + TimeUnit.NANOSECONDS.toMillis(now - since) + " ms: ";
            since = now;
            for (Iterator<Map.Entry<String, Counts>> it = byAddress.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Counts> e = it.next();
                if (e.getValue().isEmpty()) {
                    it.remove();
                } else {
                    lines.add(summary(e.getKey(), window, e.getValue()));
                }
            }
            if (!others.isEmpty()) {
                lines.add(summary("addresses not tracked one by one", window, others));
            }
        }
        lines.forEach(log::warn);
    }

    /**
     * {@code 192.0.2.7: 1234 more handshakes failed or refused in the last 60000 ms: 3 denied,
     * 1231 refused; 1 penalty started; last: refused 192.0.2.7:4711: penalised for ...}.
     */
    private static String summary(String who, String window, Counts counts) {
        StringBuilder detail = new StringBuilder();
        long handshakes = 0;
        for (Kind kind : Kind.values()) {
            long n = counts.byKind[kind.ordinal()];
            if (n > 0 && kind != Kind.PENALISED) {
                detail.append(handshakes == 0 ? "" : ", ").append(n).append(' ').append(kind.word);
                handshakes += n;
            }
        }
        long penalties = counts.byKind[Kind.PENALISED.ordinal()];
        String line = who + ": " + handshakes + " more handshakes failed or refused" + window + detail
                + (penalties == 0 ? "" : "; " + penalties + (penalties == 1 ? " penalty" : " penalties") + " started")
                + (counts.last == null ? "" : "; last: " + counts.last);
        Arrays.fill(counts.byKind, 0);
        counts.last = null;
        return line;
    }
}
