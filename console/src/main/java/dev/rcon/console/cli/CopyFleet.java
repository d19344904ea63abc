package dev.rcon.console.cli;

import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.fleet.FleetOutput;
import dev.rcon.console.fleet.FleetRunner;
import dev.rcon.console.fleet.JsonOutput;
import dev.rcon.console.fleet.LastRun;
import dev.rcon.console.fleet.LiveOutput;
import dev.rcon.console.fleet.Progress;
import dev.rcon.console.fleet.Screen;
import dev.rcon.console.fleet.Summary;
import dev.rcon.console.io.ConsoleIO;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fleet options of {@code rcon put} and {@code rcon get}: {@code -H LIST} copies with many hosts at once. */
final class CopyFleet {
    @Mixin
    FleetOptions hosts = new FleetOptions();

    @Option(names = "--fanout", paramLabel = "N", defaultValue = "64", description = "With -H: hosts at once."
            + " Default: ${DEFAULT-VALUE}.")
    int fanout;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With -H: give up on a host whose copy is"
            + " not done after this long (its connection is closed, as at Ctrl-C; it counts as timed out): 30s, 5m.")
    Duration timeout;

    @Option(names = "--json", description = "With -H: JSON Lines, one object per event, as fleet runs.")
    boolean json;

    /** Whether a host list was given, here or before the subcommand. */
    boolean given(RconCommand parent) {
        return hosts.given() || parent.fleet.given();
    }

    /**
     * Runs {@code job} on every host of the list, as a fleet run: outputs, summary, the record for
     * {@code @failed}, and the exit status.
     */
    int run(RconCommand parent, dev.rcon.common.auth.Key key, String what, Duration connectTimeout,
            Function<FleetOutput, FleetRunner.Job> job) throws Exception {
        ConsoleIO io = parent.io();
        FleetOptions list = hosts.given() ? hosts.inheriting(parent.fleet) : parent.fleet;
        List<String> names = list.resolve(io);
        Screen screen = new Screen(io.out(), io.err(), io.stderrIsTerminal() && !json);
        FleetOutput output = json ? new JsonOutput(screen) : new LiveOutput(screen);
        FleetRunner runner = new FleetRunner(key,
                new FleetRunner.Plan(new ExecRequest(what, null, null, null, timeout != null ? timeout : parent.timeout,
                        false), null, fanout, connectTimeout), output, new Progress(screen),
                list.inventory(io)::target, job.apply(output));
        java.time.Instant started = java.time.Instant.now();
        Summary summary = runner.run(names, io.interrupts());
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(io.err(), java.nio.charset.StandardCharsets.UTF_8));
        err.println("rcon: " + summary.line());
        FleetMode.record(LastRun.of(what, started, summary), io, err);
        err.flush();
        return summary.exitStatus();
    }
}
