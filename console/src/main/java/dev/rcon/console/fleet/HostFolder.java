package dev.rcon.console.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folds host names back into ranges: {@code web01..web05, web07} becomes {@code web[01-05,07]}.
 * Names fold on their last run of digits (before any {@code :port}); names left alone fold on
 * the run before, and so on, so {@code n1.dc1,n2.dc1} becomes {@code n[1-2].dc1}. Numbers that
 * differ in zero padding fold separately, so the folded form expands back to exactly the names.
 */
public final class HostFolder {
    private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");
    private static final int DEPTHS = 4;

    private HostFolder() {
    }

    /** The folded form of {@code hosts}, groups in order of their first host. */
    public static String fold(Collection<String> hosts) {
        List<String> names = List.copyOf(hosts);
        List<Group> folded = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            pending.add(i);
        }
        for (int depth = 0; depth < DEPTHS && !pending.isEmpty(); depth++) {
            Map<String, Group> groups = new LinkedHashMap<>();
            for (int i : pending) {
                Optional<Split> split = Split.of(names.get(i), depth);
                if (split.isEmpty()) {
                    folded.add(Group.single(i, names.get(i)));
                } else {
                    groups.computeIfAbsent(split.get().key(), k -> new Group(i, split.get())).add(split.get());
                }
            }
            pending = new ArrayList<>();
            for (Group g : groups.values()) {
                if (g.numbers.size() > 1 || depth == DEPTHS - 1) {
                    folded.add(g);
                } else {
                    pending.add(g.first);
                }
            }
        }
        pending.forEach(i -> folded.add(Group.single(i, names.get(i))));
        folded.sort(Comparator.comparingInt(g -> g.first));
        List<String> out = new ArrayList<>();
        folded.forEach(g -> out.add(g.format()));
        return String.join(",", out);
    }

    /** A name cut around the digit run {@code depth} places from its end. */
    private record Split(String prefix, String digits, String suffix) {
        static Optional<Split> of(String host, int depth) {
            int colon = host.lastIndexOf(':');
            boolean hasPort = colon > 0 && host.indexOf(':') == colon;
            String name = hasPort ? host.substring(0, colon) : host;
            List<int[]> runs = new ArrayList<>();
            Matcher m = DIGITS.matcher(name);
            while (m.find()) {
                runs.add(new int[] {m.start(), m.end()});
            }
            if (runs.size() <= depth) {
                return Optional.empty();
            }
            int[] run = runs.get(runs.size() - 1 - depth);
            return Optional.of(new Split(name.substring(0, run[0]), name.substring(run[0], run[1]),
                    name.substring(run[1]) + (hasPort ? host.substring(colon) : "")));
        }

        int width() {
            return digits.length() > 1 && digits.startsWith("0") ? digits.length() : 0;
        }

        String key() {
            return prefix + "\0" + suffix + "\0" + width();
        }
    }

    private static final class Group {
        final int first;
        final String prefix;
        final String suffix;
        final TreeMap<Long, String> numbers = new TreeMap<>();

        Group(int first, Split split) {
            this.first = first;
            this.prefix = split.prefix();
            this.suffix = split.suffix();
        }

        static Group single(int index, String host) {
            Group g = new Group(index, new Split(host, "", ""));
            g.numbers.put(0L, "");
            return g;
        }

        void add(Split split) {
            numbers.put(Long.parseLong(split.digits()), split.digits());
        }

        String format() {
            if (numbers.size() == 1) {
                return prefix + numbers.firstEntry().getValue() + suffix;
            }
            List<String> runs = new ArrayList<>();
            long start = numbers.firstKey();
            long prev = start;
            for (long n : numbers.tailMap(start, false).keySet()) {
                if (n != prev + 1) {
                    runs.add(run(start, prev));
                    start = n;
                }
                prev = n;
            }
            runs.add(run(start, prev));
            return prefix + "[" + String.join(",", runs) + "]" + suffix;
        }

        private String run(long from, long to) {
            return from == to ? numbers.get(from) : numbers.get(from) + "-" + numbers.get(to);
        }
    }
}
