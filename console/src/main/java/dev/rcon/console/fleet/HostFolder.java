package dev.rcon.console.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folds host names back into ranges: {@code web01..web05, web07} becomes {@code web[01-05,07]}.
 * Names fold on their last run of digits (before any {@code :port}); names that stay alone fold
 * on the run before, and so on, so {@code n1.dc1,n2.dc1} becomes {@code n[1-2].dc1}. Numbers that
 * differ in zero padding fold separately, so the folded form expands back to exactly the names.
 */
public final class HostFolder {
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private HostFolder() {
    }

    /** The folded form of {@code hosts}, groups in order of first appearance. */
    public static String fold(Collection<String> hosts) {
        List<String> out = new ArrayList<>();
        for (Group g : foldAt(List.copyOf(hosts), 0)) {
            out.add(g.format());
        }
        return String.join(",", out);
    }

    /** Groups by the digit run {@code depth} places from the end; singles try the next run. */
    private static List<Group> foldAt(List<String> hosts, int depth) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (String host : hosts) {
            int colon = host.lastIndexOf(':');
            boolean hasPort = colon > 0 && host.indexOf(':') == colon;
            String name = hasPort ? host.substring(0, colon) : host;
            String port = hasPort ? host.substring(colon) : "";
            List<int[]> runs = new ArrayList<>();
            Matcher m = DIGITS.matcher(name);
            while (m.find()) {
                runs.add(new int[] {m.start(), m.end()});
            }
            if (runs.size() <= depth || runs.get(runs.size() - 1 - depth)[1] - runs.get(runs.size() - 1 - depth)[0] > 9) {
                groups.putIfAbsent("\0" + host, Group.single(host, runs.size() > depth));
                continue;
            }
            int[] run = runs.get(runs.size() - 1 - depth);
            String digits = name.substring(run[0], run[1]);
            int width = digits.length() > 1 && digits.startsWith("0") ? digits.length() : 0;
            String prefix = name.substring(0, run[0]);
            String suffix = name.substring(run[1]) + port;
            groups.computeIfAbsent(prefix + "\0" + suffix + "\0" + width, k -> new Group(prefix, suffix))
                    .add(host, Long.parseLong(digits), digits);
        }
        List<Group> result = new ArrayList<>();
        for (Group g : groups.values()) {
            if (g.hosts.size() == 1 && g.foldable) {
                result.add(null);
                continue;
            }
            result.add(g);
        }
        List<String> singles = new ArrayList<>();
        groups.values().stream().filter(g -> g.hosts.size() == 1 && g.foldable).forEach(g -> singles.add(g.hosts.get(0)));
        if (singles.isEmpty()) {
            return result;
        }
        List<Group> refolded = depth < 3 ? foldAt(singles, depth + 1) : singles.stream().map(h -> Group.single(h, false)).toList();
        // Put each refolded group where its first host stood.
        List<Group> merged = new ArrayList<>();
        int next = 0;
        java.util.Set<Group> placed = new java.util.HashSet<>();
        for (Group g : result) {
            if (g != null) {
                merged.add(g);
                continue;
            }
            String host = singles.get(next++);
            for (Group r : refolded) {
                if (r.hosts.contains(host) && placed.add(r)) {
                    merged.add(r);
                }
            }
        }
        return merged;
    }

    private static final class Group {
        final String prefix;
        final String suffix;
        final List<String> hosts = new ArrayList<>();
        final TreeMap<Long, String> numbers = new TreeMap<>();
        boolean foldable = true;

        Group(String prefix, String suffix) {
            this.prefix = prefix;
            this.suffix = suffix;
        }

        static Group single(String host, boolean foldable) {
            Group g = new Group(host, "");
            g.hosts.add(host);
            g.foldable = foldable;
            return g;
        }

        void add(String host, long n, String digits) {
            hosts.add(host);
            numbers.put(n, digits);
        }

        String format() {
            if (numbers.size() <= 1) {
                return hosts.get(0);
            }
            List<String> runs = new ArrayList<>();
            Long start = null;
            Long prev = null;
            for (long n : numbers.keySet()) {
                if (start == null) {
                    start = n;
                } else if (n != prev + 1) {
                    runs.add(run(start, prev));
                    start = n;
                }
                prev = n;
            }
            runs.add(run(start, prev));
            return prefix + "[" + String.join(",", runs) + "]" + suffix;
        }

        private String run(long from, long to) {
            String a = numbers.get(from);
            return from == to ? a : a + "-" + numbers.get(to);
        }
    }
}
