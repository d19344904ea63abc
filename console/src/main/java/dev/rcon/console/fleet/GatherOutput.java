package dev.rcon.console.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code -b/--gather}: when every host is done, hosts with the same output and the same ending
 * are shown once under their folded host set, largest group first; outputs that differ only by
 * each host's own name or address count as the same, shown with {@link HostPlaceholder#TEXT} in
 * their place (see {@link HostPlaceholder}). Each host keeps at most
 * {@link #MAX_KEPT} bytes per stream; beyond that its output is cut and marked. A group's
 * stderr goes to stderr, each line prefixed with its hosts.
 */
public final class GatherOutput implements FleetOutput {
    static final int MAX_KEPT = 16 << 20;
    /** The kid in a denial's message: {@code , kid 1e36…77} (32 hex digits). */
    private static final java.util.regex.Pattern KID = java.util.regex.Pattern.compile(", kid [0-9a-f]{32}\\b");
    /** About how much of a group's prefixed stderr is written at a time. */
    private static final int ERR_PART = 64 << 10;

    private final Screen screen;
    private final Map<String, Captured> captured = new LinkedHashMap<>();

    private static final class Captured {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean cut;
        HostResult result;
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
        this.screen = screen;
    }

    private synchronized Captured of(String host) {
        return captured.computeIfAbsent(host, h -> new Captured());
    }

    @Override
    public void connected(String host, List<String> names) {
        Captured c = of(host);
        synchronized (c) {
            c.names = names;
        }
    }

    @Override
    public void stdout(String host, byte[] bytes) {
        keep(of(host), of(host).out, bytes);
    }

    @Override
    public void stderr(String host, byte[] bytes) {
        keep(of(host), of(host).err, bytes);
    }

    private static void keep(Captured c, ByteArrayOutputStream stream, byte[] bytes) {
        synchronized (c) {
            int room = MAX_KEPT - stream.size();
            stream.write(bytes, 0, Math.max(0, Math.min(room, bytes.length)));
            c.cut |= bytes.length > room;
        }
    }

    @Override
    public void done(HostResult result) {
        Captured c = of(result.host());
        synchronized (c) {
            c.result = result;
        }
    }

    @Override
    public synchronized void finish(Summary summary) throws IOException {
        Map<Key, List<String>> groups = new LinkedHashMap<>();
        for (HostResult r : summary.results()) {
            Captured c = of(r.host());
            synchronized (c) {
                // A host that ended well and printed more than was kept says so too: its output is not all there.
                String ending = r.outcome() == Outcome.OK ? (c.cut ? "output cut" : "")
                        : folded(r, c.names) + (c.cut ? ", output cut" : "");
                groups.computeIfAbsent(new Key(HostPlaceholder.replace(c.out.toByteArray(), c.names),
                        HostPlaceholder.replace(c.err.toByteArray(), c.names), ending), k -> new ArrayList<>()).add(r.host());
            }
        }
        List<Map.Entry<Key, List<String>>> ordered = new ArrayList<>(groups.entrySet());
        ordered.sort(Comparator.comparingInt((Map.Entry<Key, List<String>> e) -> e.getValue().size()).reversed());
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
