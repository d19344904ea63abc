package dev.rcon.console.fleet;

import java.io.IOException;
import java.nio.file.Files;
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
 * of {@link HostList}, {@code @other} groups included. {@code #} starts a comment. Every error
 * names the file, the line and the problem; a group that includes itself is an error.
 */
public final class Inventory {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_.-]+)\\s*:\\s*(.*)");

    private final Path file;
    private final Map<String, Definition> groups;

    private record Definition(String list, int line) {
    }

    private Inventory(Path file, Map<String, Definition> groups) {
        this.file = file;
        this.groups = groups;
    }

    /** An inventory with no groups; {@code file} is where one would have been. */
    public static Inventory none(Path file) {
        return new Inventory(file, Map.of());
    }

    /** Reads {@code file}; a missing file is an empty inventory unless {@code required}. */
    public static Inventory load(Path file, boolean required) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new IllegalArgumentException(file + ": no such inventory file");
            }
            return none(file);
        }
        Map<String, Definition> groups = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'NAME: HOSTS' but got '" + line + "'");
            }
            Definition earlier = groups.putIfAbsent(m.group(1), new Definition(m.group(2).strip(), i + 1));
            if (earlier != null) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": group '" + m.group(1)
                        + "' is already defined on line " + earlier.line());
            }
        }
        return new Inventory(file, groups);
    }

    public Set<String> groupNames() {
        return groups.keySet();
    }

    /** The hosts of group {@code name}, expanded. */
    public List<String> group(String name) throws IOException {
        return new ArrayList<>(resolve(name, new ArrayDeque<>()));
    }

    private Set<String> resolve(String name, Deque<String> path) throws IOException {
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
        path.addLast(name);
        Set<String> hosts = new LinkedHashSet<>();
        HostList nested = new HostList(this);
        // A nested group's errors name their own line; every other error here is this line's.
        for (String item : at(def, () -> HostList.splitTopLevel(def.list()))) {
            if (item.startsWith("@")) {
                hosts.addAll(resolve(item.substring(1), path));
            } else {
                hosts.addAll(at(def, () -> nested.expand(item)));
            }
        }
        path.removeLast();
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
