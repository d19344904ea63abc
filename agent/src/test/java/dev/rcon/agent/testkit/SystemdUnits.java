package dev.rcon.agent.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The project's systemd unit and drop-in (systemd/), read as systemd reads them. */
public final class SystemdUnits {
    /** The directory that holds rcon-agent.service and restricted.conf, from a module's tests. */
    public static final Path DIR = Path.of("..", "systemd");

    private SystemdUnits() {
    }

    /** The [Service] lists of {@code files}, read in order, as systemd merges a unit and its drop-ins. */
    public static Map<String, List<String>> merged(Path... files) throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (line.startsWith("#") || eq < 0) {
                    continue;
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                List<String> values = settings.computeIfAbsent(key, k -> new ArrayList<>());
                if (value.isEmpty()) {
                    values.clear();
                } else {
                    values.add(value);
                }
            }
        }
        return settings;
    }
}
