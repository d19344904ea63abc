package dev.rcon.console.cli;

import dev.rcon.console.fleet.HostFolder;
import dev.rcon.console.fleet.LastRun;
import dev.rcon.console.io.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rcon last}: the summary of the last fleet run, whose hosts {@code @failed} and the like name. */
@Command(name = "last", mixinStandardHelpOptions = true,
        description = {"Show the last fleet run (-H): what ran, when, and its hosts by outcome.",
            "Its hosts can be named in the next host list: @ok, @failed, @timedout,",
            "@unreachable; e.g. rcon -H @failed -- systemctl restart nginx"})
final class LastCommand implements Callable<Integer> {
    @Option(names = "--json", description = "The recorded run as JSON.")
    boolean json;

    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = FleetOptions.stateDir(parent.io());
        LastRun run = LastRun.load(dir).orElseThrow(() -> new IllegalArgumentException("no fleet run recorded yet in "
                + dir));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(run.toJson());
        } else {
            out.println("last run: " + run.command());
            out.println("started " + run.started() + ", took " + String.format("%.2fs", run.durationMs() / 1000.0)
                    + ", " + run.hosts().size() + (run.hosts().size() == 1 ? " host" : " hosts") + ", exit status "
                    + run.exitStatus());
            for (String set : LastRun.SETS.keySet()) {
                List<String> hosts = run.hostsIn(set);
                if (!hosts.isEmpty()) {
                    out.printf("  @%-12s %4d  %s%n", set, hosts.size(), HostFolder.fold(hosts));
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
