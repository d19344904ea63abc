package dev.rcon.console.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code -b/--gather}: when every host is done, hosts with the same output and the same ending
 * are shown once under their folded host set, largest group first; outputs that differ only by
 * each host's own name or address count as the same, shown with {@link HostPlaceholder#TEXT} in
 * their place (see {@link HostPlaceholder}). Each host keeps at most {@link #MAX_KEPT} bytes per
 * stream, and all hosts together at most the budget (a quarter of the console's heap); beyond
 * either a host's output is cut and marked. A host's output joins its group as the host ends, so
 * a thousand hosts printing the same text hold one copy of it. A group's stderr goes to stderr,
 * each line prefixed with its hosts.
 */
public final class GatherOutput implements FleetOutput {
    static final int MAX_KEPT = 16 << 20;
    /** The kid in a denial's message: {@code , kid 1e36…77} (32 hex digits). */
    private static final java.util.regex.Pattern KID = java.util.regex.Pattern.compile(", kid [0-9a-f]{32}\\b");
    /** About how much of a group's prefixed stderr is written at a time. */
    private static final int ERR_PART = 64 << 10;

    private final Screen screen;
    private final long budget;
    /** Bytes held in all: running hosts' output and every group's. */
    private final AtomicLong held = new AtomicLong();
    private volatile boolean overBudget;
    private final Map<String, Captured> running = new HashMap<>();
    private final Map<Key, List<String>> groups = new LinkedHashMap<>();
    private final Set<String> ended = new HashSet<>();
    /** Held while a host's output becomes its group's key. */
    private final Object toGroup = new Object();

    private static final class Captured {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean cut;
        List<String> names = List.of();
    }

    private record Key(byte[] out, byte[] err, String ending) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(out, k.out) && Arrays.equals(err, k.err) && ending.equals(k.ending);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(out), Arrays.hashCode(err), ending);
        }
    }

    public GatherOutput(Screen screen) {
        // A quarter of the heap: the rest for the run itself and for the copies made at each host's end.
        this(screen, Runtime.getRuntime().maxMemory() / 4);
    }

    /** @param budget the most bytes of output kept for all hosts together */
    GatherOutput(Screen screen, long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be at least 0 but was " + budget);
        }
        this.screen = screen;
        this.budget = budget;
    }

    /** The host's capture; null once it ended (bytes of a connection the console gave up on). */
    private synchronized Captured of(String host) {
        return ended.contains(host) ? null : running.computeIfAbsent(host, h -> new Captured());
    }

    @Override
    public void connected(String host, List<String> names) {
        Captured c = of(host);
        if (c != null) {
            synchronized (c) {
                c.names = names;
            }
        }
    }

    @Override
    public void stdout(String host, byte[] bytes) {
        Captured c = of(host);
        if (c != null) {
            keep(c, false, bytes);
        }
    }

    @Override
    public void stderr(String host, byte[] bytes) {
        Captured c = of(host);
        if (c != null) {
            keep(c, true, bytes);
        }
    }

    private void keep(Captured c, boolean isErr, byte[] bytes) {
        synchronized (c) {
            ByteArrayOutputStream stream = isErr ? c.err : c.out;
            int n = reserve(Math.max(0, Math.min(MAX_KEPT - stream.size(), bytes.length)));
            stream.write(bytes, 0, n);
            c.cut |= n < bytes.length;
        }
    }

    /** Up to {@code wanted} bytes of the budget, taken before they are kept; how many were taken. */
    private int reserve(int wanted) {
        while (true) {
            long now = held.get();
            int n = (int) Math.max(0, Math.min(wanted, budget - now));
            if (held.compareAndSet(now, now + n)) {
                overBudget |= n < wanted;
                return n;
            }
        }
    }

    @Override
    public void done(HostResult result) {
        Captured c;
        synchronized (this) {
            if (!ended.add(result.host())) {
                return;
            }
            c = running.remove(result.host());
        }
        Key key = new Key(new byte[0], new byte[0], ending(result, false, List.of()));
        long released = 0;
        if (c != null) {
            // One host's end at a time, its capture let go of before its names are replaced: the
            // copies made here are outside the budget, and two hosts of 7.5 MB that print their
            // name ran a 64 MiB console (a 15 MiB budget) out of memory when both ended together.
            synchronized (toGroup) {
                byte[] out;
                byte[] err;
                boolean cut;
                List<String> names;
                synchronized (c) {
                    out = c.out.toByteArray();
                    err = c.err.toByteArray();
                    released = out.length + err.length;
                    c.out = new ByteArrayOutputStream(0);
                    c.err = new ByteArrayOutputStream(0);
                    cut = c.cut;
                    names = c.names;
                }
                key = new Key(HostPlaceholder.replace(out, names), HostPlaceholder.replace(err, names),
                        ending(result, cut, names));
            }
        }
        synchronized (this) {
            List<String> hosts = groups.get(key);
            if (hosts == null) {
                groups.put(key, hosts = new ArrayList<>());
                held.addAndGet(key.out().length + key.err().length);
            }
            hosts.add(result.host());
        }
        held.addAndGet(-released);
    }

    /** A host's ending in its group's title; a host that ended well and was cut says so too: its output is not all there. */
    private static String ending(HostResult r, boolean cut, List<String> names) {
        return r.outcome() == Outcome.OK ? (cut ? "output cut" : "") : folded(r, names) + (cut ? ", output cut" : "");
    }

    @Override
    public synchronized void finish(Summary summary) throws IOException {
        Map<String, Integer> order = new HashMap<>();
        for (HostResult r : summary.results()) {
            order.putIfAbsent(r.host(), order.size());
            done(r);
        }
        // As the hosts were given, not as they ended: the same run prints the same way.
        Comparator<String> given = Comparator.comparingInt(h -> order.getOrDefault(h, Integer.MAX_VALUE));
        List<Map.Entry<Key, List<String>>> ordered = new ArrayList<>(groups.entrySet());
        ordered.forEach(e -> e.getValue().sort(given));
        ordered.sort(Comparator.comparingInt((Map.Entry<Key, List<String>> e) -> e.getValue().size()).reversed()
                .thenComparing(e -> e.getValue().get(0), given));
        for (Map.Entry<Key, List<String>> e : ordered) {
            Key k = e.getKey();
            String title = HostFolder.fold(e.getValue()) + " (" + e.getValue().size() + ")"
                    + (k.ending().isEmpty() ? "" : " " + k.ending());
            String rule = "-".repeat(Math.min(72, Math.max(16, title.length())));
            screen.out((rule + "\n" + title + "\n" + rule + "\n").getBytes(StandardCharsets.UTF_8));
            if (k.out().length > 0) {
                screen.out(withNewline(k.out()));
            }
            if (k.err().length > 0) {
                errPrefixed(HostFolder.fold(e.getValue()) + "!: ", k.err());
            }
        }
        if (overBudget) {
            screen.err(("rcon: -b keeps at most " + (budget >> 20) + " MiB of output for all hosts together (a quarter of"
                    + " the console's heap), and cut the rest: --outdir DIR keeps every host's whole output\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A host's ending as its group shows it. A message of why the host did not run (denied,
     * connection lost) names the host, and a denial the kid of the key derived for its label:
     * with those each host was a group of its own. The names become {@link HostPlaceholder#TEXT}
     * and the kid goes (live lines, --json and --outdir keep it; {@code rcon authorize} prints it).
     */
    private static String folded(HostResult r, List<String> names) {
        if (r.exit() != null) {
            return r.describe();
        }
        String text = new String(HostPlaceholder.replace(r.describe().getBytes(StandardCharsets.UTF_8), names),
                StandardCharsets.UTF_8);
        return r.outcome() == Outcome.DENIED ? KID.matcher(text).replaceAll("") : text;
    }

    /**
     * A group's stderr, each line as {@code hosts!: line}: stderr often goes elsewhere than the
     * gathered stdout (a file, a pager), where a bare line would not say which hosts printed it.
     * Written in parts of about {@link #ERR_PART} bytes: built whole, the 16 MiB a host may keep
     * became (prefix + 1) times as large in one array when made of short lines (8 MiB of empty
     * lines ran a console with a 256 MiB heap out of memory).
     */
    private void errPrefixed(String prefix, byte[] bytes) throws IOException {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            part.writeBytes(head);
            part.write(bytes, start, end - start);
            part.write('\n');
            if (part.size() >= ERR_PART) {
                screen.err(part.toByteArray());
                part.reset();
            }
            start = end + 1;
        }
        if (part.size() > 0) {
            screen.err(part.toByteArray());
        }
    }

    private static byte[] withNewline(byte[] bytes) {
        if (bytes[bytes.length - 1] == '\n') {
            return bytes;
        }
        byte[] b = Arrays.copyOf(bytes, bytes.length + 1);
        b[bytes.length] = '\n';
        return b;
    }
}
