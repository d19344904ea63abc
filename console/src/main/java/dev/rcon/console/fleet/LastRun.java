package dev.rcon.console.fleet;

import dev.rcon.common.files.FileErrors;
import dev.rcon.common.files.OwnerOnly;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of the last fleet run, kept in {@code $XDG_STATE_HOME/rcon/last-run.json} so that
 * {@code @failed}, {@code @unreachable}, {@code @timedout} and {@code @ok} can name its hosts in
 * the next host list, and {@code rcon last} can show it again. Written whole to a temporary file
 * and renamed, so a reader never sees half a record; private to the user (0600 in a 0700 dir).
 *
 * @param command what ran, as given
 * @param started when the run began (ISO-8601, UTC)
 * @param durationMs how long the whole run took
 * @param exitStatus the run's exit status
 * @param hosts every host of the run, in the order given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastRun(String command, String started, long durationMs, int exitStatus, List<Host> hosts) {
    public static final String FILE_NAME = "last-run.json";
    /** The host sets of the last run a host list can name, and the outcomes each takes in. */
    public static final Map<String, Set<Outcome>> SETS = sets();
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * One host's outcome.
     *
     * @param outcome the {@link Outcome}'s name in lowercase
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Host(String host, String outcome, Integer code, String signal, long durationMs, String message) {
    }

    public LastRun {
        if (command == null || hosts == null) {
            throw new IllegalArgumentException("a fleet run's record needs 'command' and 'hosts'");
        }
        hosts = List.copyOf(hosts);
    }

    private static Map<String, Set<Outcome>> sets() {
        Map<String, Set<Outcome>> sets = new LinkedHashMap<>();
        sets.put("ok", EnumSet.of(Outcome.OK));
        sets.put("failed", EnumSet.of(Outcome.FAILED, Outcome.INTERRUPTED, Outcome.NOT_STARTED));
        sets.put("timedout", EnumSet.of(Outcome.TIMED_OUT));
        sets.put("unreachable", EnumSet.of(Outcome.UNREACHABLE, Outcome.DENIED, Outcome.ERROR));
        return java.util.Collections.unmodifiableMap(sets);
    }

    /** The record of a run that just ended. */
    public static LastRun of(String command, Instant started, Summary summary) {
        List<Host> hosts = new ArrayList<>();
        for (HostResult r : summary.results()) {
            hosts.add(new Host(r.host(), outcomeName(r.outcome()), r.exit() != null ? r.exit().code() : null,
                    r.exit() != null ? r.exit().signal() : null, r.durationMs(), r.message()));
        }
        return new LastRun(command, started.toString(), summary.durationMs(), summary.exitStatus(), hosts);
    }

    static String outcomeName(Outcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The hosts of set {@code name} ({@code failed}, ...), in the order of the run. */
    public List<String> hostsIn(String name) {
        Set<Outcome> outcomes = SETS.get(name);
        return hosts.stream().filter(h -> outcomes.stream().anyMatch(o -> outcomeName(o).equals(h.outcome())))
                .map(Host::host).toList();
    }

    /** Writes this record atomically into {@code dir}, made (or made again) 0700. */
    public void save(Path dir) throws IOException {
        OwnerOnly.ownDirectory(dir);
        Path tmp = Files.createTempFile(dir, ".last-run", ".tmp",
                OwnerOnly.FILE);
        try {
            Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try {
                Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A record of MAX_HOSTS hosts with long messages stays far below this. */
    static final int MAX_BYTES = 64 << 20;

    /**
     * The record in {@code dir}, or empty if no run was recorded there.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read as a record
     */
    public static Optional<LastRun> load(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        // Whatever is there, one line naming the file and no Java names: a truncated record said
        // "rcon: NullPointerException" or named Jackson's tokens and our classes, a directory said
        // "rcon: Is a directory", and a link to /dev/zero ended the console with an OutOfMemoryError.
        String remedy = " (remove it: the next fleet run records a new one)";
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the record of the last fleet run: "
                    + FileErrors.reason(e));
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": larger than " + (MAX_BYTES >> 20)
                    + " MiB, not a record of a fleet run" + remedy);
        }
        try {
            LastRun run = MAPPER.readValue(bytes, LastRun.class);
            if (run == null) {
                throw new IllegalArgumentException(file + ": not a record of a fleet run (null)" + remedy);
            }
            return Optional.of(run);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": not a record of a fleet run (at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")" + remedy);
        }
    }

    /** JSON, as saved. */
    public String toJson() throws IOException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    }
}
