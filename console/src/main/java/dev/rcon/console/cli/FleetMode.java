package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.fleet.BoundedOutput;
import dev.rcon.console.fleet.FleetOutput;
import dev.rcon.console.fleet.FleetRunner;
import dev.rcon.console.fleet.GatherOutput;
import dev.rcon.console.fleet.JsonOutput;
import dev.rcon.console.fleet.LastRun;
import dev.rcon.console.fleet.LiveOutput;
import dev.rcon.console.fleet.OutdirOutput;
import dev.rcon.console.fleet.Progress;
import dev.rcon.console.fleet.Screen;
import dev.rcon.console.fleet.Summary;
import dev.rcon.console.io.ConsoleIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of a fleet run and how they become a {@link FleetRunner}. */
public final class FleetMode {
    static final int MAX_STDIN = 64 << 20;

    @Option(names = "--fanout", paramLabel = "N", defaultValue = "64", description = "Hosts at once. Default: ${DEFAULT-VALUE}.")
    int fanout;

    @Option(names = {"-b", "--gather"}, description = "When all are done, show identical results once under a folded host set.")
    boolean gather;

    @Option(names = "--json", description = "JSON Lines: one object per event (see docs/FLEET.md).")
    boolean json;

    @Option(names = "--outdir", paramLabel = "DIR", description = "Write each host's stdout, stderr and status to DIR/HOST.{out,err,status}.")
    Path outdir;

    @Option(names = "--max-output", paramLabel = "SIZE", description = "Keep the first and last SIZE/2 bytes of each"
            + " host's stdout and stderr (64K, 10M, 1G) and say how many were dropped between.")
    String maxOutput;

    @Option(names = "--timing", description = "After the summary, the 10 slowest hosts: connect, authenticate,"
            + " first byte and total times.")
    boolean timing;

    @Option(names = "--stdin", description = "Send local stdin (read once, at most 64 MiB) to every host.")
    boolean stdin;

    int run(List<String> hosts, java.util.function.Function<String, dev.rcon.console.client.Target> targets, Key key,
            ExecRequest request, Duration connectTimeout, ConsoleIO io, PrintWriter err) throws Exception {
        if (gather && json) {
            throw new IllegalArgumentException("choose one of -b/--gather and --json");
        }
        byte[] input = stdin ? readStdin(io.in()) : null;
        ExecRequest withStdin = new ExecRequest(request.command(), request.argv(), request.cwd(), request.env(),
                request.timeout(), input != null);
        Screen screen = new Screen(io.out(), io.err(), io.stderrIsTerminal() && !json);
        List<FleetOutput> outputs = new ArrayList<>();
        outputs.add(json ? new JsonOutput(screen) : gather ? new GatherOutput(screen) : new LiveOutput(screen));
        if (outdir != null) {
            outputs.add(new OutdirOutput(outdir));
        }
        FleetOutput output = FleetOutput.all(outputs);
        if (maxOutput != null) {
            output = new BoundedOutput(output, BoundedOutput.parseSize(maxOutput));
        }
        FleetRunner runner = new FleetRunner(key, new FleetRunner.Plan(withStdin, input, fanout, connectTimeout),
                output, new Progress(screen), targets);
        java.time.Instant started = java.time.Instant.now();
        Summary summary = runner.run(hosts, io.interrupts());
        err.println("rcon: " + summary.line());
        if (timing) {
            err.println("rcon: slowest hosts:");
            summary.timingLines(10).forEach(line -> err.println("  " + line));
        }
        record(LastRun.of(request.command() != null ? request.command() : String.join(" ", request.argv()), started,
                summary), io, err);
        err.flush();
        return summary.exitStatus();
    }

    /** Keeps the run for {@code @failed} and {@code rcon last}; a run that cannot be kept still counts. */
    static void record(LastRun run, ConsoleIO io, PrintWriter err) {
        Path dir = FleetOptions.stateDir(io);
        try {
            run.save(dir);
        } catch (IOException | RuntimeException e) {
            err.println("rcon: cannot record this run in " + dir + " (@failed and rcon last will not see it): " + e.getMessage());
        }
    }

    private static byte[] readStdin(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_STDIN + 1);
        if (bytes.length > MAX_STDIN) {
            throw new IllegalArgumentException("--stdin takes at most 64 MiB and stdin holds more");
        }
        return bytes;
    }
}
