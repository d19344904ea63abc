package dev.rcon.console.fleet;

import dev.rcon.console.io.ExitCodes;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The end of a fleet run: counts by outcome, the slowest hosts, and the exit status. */
public record Summary(List<HostResult> results, long durationMs) {

    public Map<Outcome, Long> counts() {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0L);
        }
        results.forEach(r -> counts.merge(r.outcome(), 1L, Long::sum));
        return counts;
    }

    /**
     * 0 when every host ran the command with status 0; {@link ExitCodes#FLEET_SOME_UNREACHABLE}
     * when some hosts could not run it (this wins: their outcome is unknown);
     * {@link ExitCodes#FLEET_SOME_FAILED} when all ran it and some failed or timed out;
     * {@link ExitCodes#INTERRUPTED} after Ctrl-C.
     */
    public int exitStatus() {
        Map<Outcome, Long> c = counts();
        if (c.get(Outcome.INTERRUPTED) + c.get(Outcome.NOT_STARTED) > 0) {
            return ExitCodes.INTERRUPTED;
        }
        if (results.stream().anyMatch(r -> r.outcome().couldNotRun())) {
            return ExitCodes.FLEET_SOME_UNREACHABLE;
        }
        if (c.get(Outcome.FAILED) + c.get(Outcome.TIMED_OUT) > 0) {
            return ExitCodes.FLEET_SOME_FAILED;
        }
        return ExitCodes.OK;
    }

    public List<HostResult> slowest(int n) {
        return results.stream().filter(r -> r.outcome().ran())
                .sorted(Comparator.comparingLong(HostResult::durationMs).reversed()).limit(n).toList();
    }

    /** One line for stderr: counts, time, and the slowest hosts. */
    public String line() {
        Map<Outcome, Long> c = counts();
        StringBuilder sb = new StringBuilder();
        sb.append(results.size()).append(results.size() == 1 ? " host: " : " hosts: ");
        sb.append(c.get(Outcome.OK)).append(" ok, ").append(c.get(Outcome.FAILED)).append(" failed, ")
                .append(c.get(Outcome.TIMED_OUT)).append(" timed out, ").append(c.get(Outcome.UNREACHABLE))
                .append(" unreachable, ").append(c.get(Outcome.DENIED)).append(" denied");
        for (Outcome extra : List.of(Outcome.ERROR, Outcome.INTERRUPTED, Outcome.NOT_STARTED)) {
            if (c.get(extra) > 0) {
                sb.append(", ").append(c.get(extra)).append(' ').append(extra.label());
            }
        }
        sb.append(" in ").append(seconds(durationMs));
        List<HostResult> slow = slowest(3);
        if (!slow.isEmpty()) {
            sb.append("; slowest: ").append(slow.stream().map(r -> r.host() + " " + seconds(r.durationMs()))
                    .collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }

    /** {@code --timing}: the slowest {@code n} hosts, one line each, with where their time went. */
    public List<String> timingLines(int n) {
        List<HostResult> slow = results.stream().sorted(Comparator.comparingLong(HostResult::durationMs).reversed())
                .limit(n).toList();
        int width = slow.stream().mapToInt(r -> r.host().length()).max().orElse(0);
        return slow.stream().map(r -> String.format("%-" + width + "s  %s", r.host(), r.timing().describe())).toList();
    }

    static String seconds(long ms) {
        return String.format("%.2fs", ms / 1000.0);
    }
}
