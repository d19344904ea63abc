package dev.rcon.console.fleet;

import dev.rcon.common.files.FileErrors;
import dev.rcon.console.client.Target;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands host lists as pdsh and clush write them: {@code web[01-20],db[1-3,7]:5023,@group,^file}.
 * Commas inside brackets belong to the range. Zero padding of a range's start is kept. Order is
 * first appearance; duplicates are dropped. The size of every expansion is checked against
 * {@link #MAX_HOSTS} before anything is expanded.
 */
public final class HostList {
    public static final int MAX_HOSTS = 100_000;

    private final Inventory inventory;
    private final Path stateDir;

    /** Host lists without {@code @failed} and the other sets of the last run. */
    public HostList(Inventory inventory) {
        this(inventory, null);
    }

    /** @param stateDir where the last fleet run is recorded ({@link LastRun}), for {@code @failed} and the like */
    public HostList(Inventory inventory, Path stateDir) {
        this.inventory = inventory;
        this.stateDir = stateDir;
    }

    /** {@code include} minus {@code exclude} (either may use every form). */
    public List<String> resolve(String include, String exclude) throws IOException {
        Set<String> hosts = expand(include);
        if (exclude != null && !exclude.isBlank()) {
            Set<String> out = expand(exclude);
            // -x web03 leaves out web03 on whatever port the list reaches it (web03:5023 too), as
            // pdsh's and clush's -x name hosts; -x web03:5023 leaves out that port alone.
            Set<String> anyPort = new java.util.HashSet<>();
            Set<String> onePort = new java.util.HashSet<>();
            for (String x : out) {
                if (hasPort(x)) {
                    onePort.add(same(x));
                } else {
                    anyPort.add(hostPart(x));
                }
            }
            hosts.removeIf(h -> onePort.contains(same(h)) || anyPort.contains(hostPart(h)));
        }
        // web01, WEB01 and web01:5022 are one host: it runs the command once.
        Set<String> seen = new java.util.HashSet<>();
        hosts.removeIf(h -> !seen.add(same(h)));
        return List.copyOf(hosts);
    }

    /** Whether the list wrote a port for {@code host}, as {@link Target#parse} reads one (one colon). */
    private static boolean hasPort(String host) {
        int colon = host.indexOf(':');
        return colon >= 0 && colon == host.lastIndexOf(':');
    }

    /** The host without its port, lower case. */
    private static String hostPart(String host) {
        return Target.parse(host).host().toLowerCase(java.util.Locale.ROOT);
    }

    /** One spelling per host and port: lower case, the default port written out. */
    private static String same(String host) {
        return hostPart(host) + ":" + Target.parse(host).port();
    }

    /**
     * Expands one comma-separated list.
     *
     * @throws IllegalArgumentException naming the item and what is wrong with it
     */
    public Set<String> expand(String list) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String item : splitTopLevel(list)) {
            if (item.startsWith("@") && LastRun.SETS.containsKey(item.substring(1)) && stateDir != null) {
                out.addAll(lastRun(item.substring(1)));
            } else if (item.startsWith("@")) {
                out.addAll(inventory.group(item.substring(1)));
            } else if (item.startsWith("^")) {
                out.addAll(fromFile(Path.of(item.substring(1))));
            } else {
                out.addAll(expandPattern(item));
            }
            if (out.size() > MAX_HOSTS) {
                throw new IllegalArgumentException("host list expands to more than " + MAX_HOSTS + " hosts");
            }
        }
        return out;
    }

    /** The hosts of set {@code name} of the last recorded run (possibly none). */
    private List<String> lastRun(String name) throws IOException {
        LastRun run = LastRun.load(stateDir).orElseThrow(() -> new IllegalArgumentException("@" + name
                + " names hosts of the last fleet run, and none is recorded in " + stateDir));
        return run.hostsIn(name);
    }

    private List<String> fromFile(Path file) throws IOException {
        List<String> lines;
        try {
            lines = TextFile.lines(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("^" + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("^" + file + ": cannot read it: " + FileErrors.reason(e));
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = withoutComment(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            try {
                hosts.addAll(expandPattern(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return hosts;
    }

    /** A line of a host file or the inventory without its comment ({@code #} to the end) and outer blanks. */
    static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    /** Splits at commas outside brackets; blank items are errors. */
    static List<String> splitTopLevel(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && (depth == 0 || i == list.length())) {
                String item = list.substring(start, i).strip();
                if (item.isEmpty()) {
                    throw new IllegalArgumentException("empty host name in '" + list + "'");
                }
                items.add(item);
                start = i + 1;
            }
        }
        return items;
    }

    /** Expands the bracket ranges of one host pattern, left to right. */
    static List<String> expandPattern(String pattern) {
        if (pattern.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("host '" + pattern + "' contains white space");
        }
        List<List<String>> parts = new ArrayList<>();
        long total = 1;
        int i = 0;
        while (i < pattern.length()) {
            int open = pattern.indexOf('[', i);
            int close = pattern.indexOf(']', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("unmatched ']' in '" + pattern + "'");
            }
            if (open < 0) {
                parts.add(List.of(pattern.substring(i)));
                break;
            }
            parts.add(List.of(pattern.substring(i, open)));
            close = pattern.indexOf(']', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in '" + pattern + "'");
            }
            List<String> values = Range.values(pattern.substring(open + 1, close), pattern);
            total *= values.size();
            if (total > MAX_HOSTS) {
                throw new IllegalArgumentException("'" + pattern + "' expands to more than " + MAX_HOSTS + " hosts");
            }
            parts.add(values);
            i = close + 1;
        }
        List<String> hosts = new ArrayList<>(List.of(""));
        for (List<String> part : parts) {
            List<String> next = new ArrayList<>(hosts.size() * part.size());
            for (String prefix : hosts) {
                for (String value : part) {
                    next.add(prefix + value);
                }
            }
            hosts = next;
        }
        for (String host : hosts) {
            if (host.isEmpty() || host.startsWith(":")) {
                throw new IllegalArgumentException("empty host name in '" + pattern + "'");
            }
            // A bad port is the list's mistake, said before anything runs, not one error per host.
            checkName(Target.parse(host).host(), pattern);
        }
        return hosts;
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}");
    /** An IPv6 address as written on a command line (2001:db8::1, ::ffff:192.0.2.1), which Target takes too. */
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    /**
     * A host's name becomes a file name (--outdir, get -H) and an argument: {@code ../x} wrote
     * outside the output directory, and {@code -oProxy} or {@code $(id)} are no host's name.
     */
    private static void checkName(String name, String pattern) {
        boolean address = IPV6.matcher(name).matches() && name.length() <= 45;
        if (!address && (!NAME.matcher(name).matches() || name.contains(".."))) {
            throw new IllegalArgumentException("host '" + name + "' in '" + pattern + "' is not a host name: letters,"
                    + " digits, '.', '-' and '_', not starting with '.' or '-'");
        }
    }
}
