package dev.rcon.console.fleet;

import dev.rcon.common.auth.HostLabel;
import dev.rcon.common.files.FileErrors;
import dev.rcon.console.client.Target;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named groups of hosts, one per line: {@code NAME: HOST-LIST}, where the list uses every form
 * of {@link HostList}, {@code @other} groups included; and hosts reached at another address or
 * keyed for another label (RCON1.md 5.1), one per line: {@code host NAME [address=ADDR]
 * [label=LABEL]}. {@code #} starts a comment. Every error names the file, the line and the
 * problem; a group that includes itself is an error.
 */
public final class Inventory {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_.-]+)\\s*:\\s*(.*)");

    /** How deep groups may nest: far more than any real inventory, far fewer than a stack holds. */
    static final int MAX_DEPTH = 100;

    private static final Pattern HOST = Pattern.compile("host\\s+(\\S+)((?:\\s+(?:address|label)=\\S+)+)");

    private final Path file;
    private final Map<String, Definition> groups;
    private final Map<String, Entry> hosts;

    private record Definition(String list, int line) {
    }

    /** Where a named host is reached, and the label its key is derived for; null for its name. */
    private record Entry(String address, String label) {
    }

    private Inventory(Path file, Map<String, Definition> groups, Map<String, Entry> hosts) {
        this.file = file;
        this.groups = groups;
        this.hosts = hosts;
    }

    /** An inventory with no groups; {@code file} is where one would have been. */
    public static Inventory none(Path file) {
        return new Inventory(file, Map.of(), Map.of());
    }

    /**
     * The target for {@code spec} ({@code host} or {@code host:port}): a host the inventory names
     * is reached at its address and keyed for its label, so that several names share one key.
     */
    public Target target(String spec) {
        // A pdsh habit: a list where one host goes. Target.parse would call "a,b:5023" an IPv6 address.
        if (spec.indexOf(',') >= 0 || spec.indexOf('[') > 0 || spec.startsWith("@") || spec.startsWith("^")) {
            throw new IllegalArgumentException("--host takes one host, but '" + spec + "' is a host list: give it with -H");
        }
        Target target = Target.parse(spec);
        Entry entry = hosts.get(HostLabel.asciiLower(target.host()));
        if (entry == null) {
            return target;
        }
        String address = entry.address() != null ? entry.address() : target.host();
        return new Target(address, target.port(), entry.label() != null ? entry.label() : target.host(),
                address.equals(target.host()) ? null : target.host());
    }

    private static Entry entry(Path file, int line, String name, String options) {
        String address = null;
        String label = null;
        for (String option : options.strip().split("\\s+")) {
            String key = option.substring(0, option.indexOf('='));
            String value = option.substring(option.indexOf('=') + 1);
            if (key.equals("address") ? address != null : label != null) {
                throw new IllegalArgumentException(file + ":" + line + ": host '" + name + "' has " + key + "= twice");
            }
            if (key.equals("address")) {
                if (value.isEmpty() || value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
                    throw new IllegalArgumentException(file + ":" + line + ": host '" + name + "' has address='" + value
                            + "', which must be a name or an address without a port (the port comes from the host"
                            + " list, as in " + name + ":5023)");
                }
                address = value;
            } else {
                try {
                    label = HostLabel.of(value).text();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + line + ": " + e.getMessage());
                }
            }
        }
        return new Entry(address, label);
    }

    /** Reads {@code file}; a missing file is an empty inventory unless {@code required}. */
    public static Inventory load(Path file, boolean required) throws IOException {
        List<String> lines;
        try {
            lines = TextFile.lines(file);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new IllegalArgumentException(file + ": no such inventory file");
            }
            return none(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the inventory: " + FileErrors.reason(e));
        }
        Map<String, Definition> groups = new LinkedHashMap<>();
        Map<String, Entry> hosts = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = HostList.withoutComment(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            Matcher host = HOST.matcher(line);
            if (host.matches()) {
                // Host names compare without case, as in a list and in DNS.
                if (hosts.put(HostLabel.asciiLower(host.group(1)), entry(file, i + 1, host.group(1), host.group(2))) != null) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": host '" + host.group(1)
                            + "' is already described");
                }
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'NAME: HOSTS' or 'host NAME address=ADDR label=LABEL' but got '" + line + "'");
            }
            if (LastRun.SETS.containsKey(m.group(1))) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": group name '" + m.group(1)
                        + "' is reserved: @" + m.group(1) + " names hosts of the last fleet run");
            }
            Definition earlier = groups.putIfAbsent(m.group(1), new Definition(m.group(2).strip(), i + 1));
            if (earlier != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": group '" + m.group(1)
                        + "' is already defined on line " + earlier.line());
            }
        }
        return new Inventory(file, groups, hosts);
    }

    public Set<String> groupNames() {
        return groups.keySet();
    }

    /** The hosts of group {@code name}, expanded. */
    public List<String> group(String name) throws IOException {
        return new ArrayList<>(resolve(name, new ArrayDeque<>(), new java.util.HashMap<>()));
    }

    /**
     * The hosts of {@code name}; {@code done} keeps each group expanded once per list: a group
     * named twice by each of 32 nested groups was expanded 2^32 times, and the console hung.
     */
    private Set<String> resolve(String name, Deque<String> path, Map<String, Set<String>> done) throws IOException {
        Set<String> known = done.get(name);
        if (known != null) {
            return known;
        }
        Definition def = groups.get(name);
        if (def == null) {
            String where = path.isEmpty() ? "" : file + ":" + groups.get(path.peekLast()).line() + ": ";
            throw new IllegalArgumentException(where + "unknown group '@" + name + "'"
                    + (groups.isEmpty() ? " (no groups in " + file + ")" : " in " + file));
        }
        if (path.contains(name)) {
            throw new IllegalArgumentException(file + ":" + def.line() + ": group '" + name + "' includes itself ("
                    + String.join(" -> ", path) + " -> " + name + ")");
        }
        if (path.size() >= MAX_DEPTH) {
            // Each level is a frame: 3000 nested groups ended the console with a StackOverflowError.
            throw new IllegalArgumentException(file + ":" + def.line() + ": groups nest more than " + MAX_DEPTH
                    + " deep (from @" + path.peekFirst() + ")");
        }
        path.addLast(name);
        Set<String> hosts = new LinkedHashSet<>();
        HostList nested = new HostList(this);
        // A nested group's errors name their own line; every other error here is this line's.
        for (String item : at(def, () -> HostList.splitTopLevel(def.list()))) {
            if (item.startsWith("@")) {
                hosts.addAll(resolve(item.substring(1), path, done));
            } else {
                hosts.addAll(at(def, () -> nested.expand(item)));
            }
            if (hosts.size() > HostList.MAX_HOSTS) {
                // Checked as it grows: a chain of groups of 99999 hosts each filled the heap first.
                throw new IllegalArgumentException(file + ":" + def.line() + ": group '" + name + "' expands to more than "
                        + HostList.MAX_HOSTS + " hosts");
            }
        }
        path.removeLast();
        done.put(name, hosts);
        return hosts;
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    /** Runs {@code step}; its {@link IllegalArgumentException} gets the file and line of {@code def}. */
    private <T> T at(Definition def, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + def.line() + ": " + e.getMessage(), e);
        }
    }
}
