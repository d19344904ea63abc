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
 * Names fold on their last run of digits (before any {@code :port}); names whose numbers differ
 * in zero padding fold separately, so that the folded form expands back to exactly the names.
 */
public final class HostFolder {
    private static final Pattern NAME = Pattern.compile("(.*?)(\\d+)(\\D*)");

    private HostFolder() {
    }

    /** The folded form of {@code hosts}, groups in order of first appearance. */
    public static String fold(Collection<String> hosts) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (String host : hosts) {
            int colon = host.lastIndexOf(':');
            boolean hasPort = colon > 0 && host.indexOf(':') == colon;
            String port = hasPort ? host.substring(colon) : "";
            Matcher m = NAME.matcher(hasPort ? host.substring(0, colon) : host);
            if (!m.matches() || m.group(2).length() > 9) {
                groups.putIfAbsent("\0" + host, null);
                continue;
            }
            String digits = m.group(2);
            int width = digits.length() > 1 && digits.startsWith("0") ? digits.length() : 0;
            String key = m.group(1) + "\0" + m.group(3) + port + "\0" + width;
            groups.computeIfAbsent(key, k -> new Group(m.group(1), m.group(3) + port, width))
                    .numbers.put(Long.parseLong(digits), digits);
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            out.add(e.getValue() == null ? e.getKey().substring(1) : e.getValue().format());
        }
        return String.join(",", out);
    }

    private static final class Group {
        final String prefix;
        final String suffix;
        final int width;
        final TreeMap<Long, String> numbers = new TreeMap<>();

        Group(String prefix, String suffix, int width) {
            this.prefix = prefix;
            this.suffix = suffix;
            this.width = width;
        }

        String format() {
            if (numbers.size() == 1) {
                return prefix + numbers.firstEntry().getValue() + suffix;
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
