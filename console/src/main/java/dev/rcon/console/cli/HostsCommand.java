package dev.rcon.console.cli;

import dev.rcon.console.fleet.HostFolder;
import dev.rcon.console.io.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rcon hosts LIST}: print what a host list expands to, before running anything on it. */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = "Print the hosts a list expands to, one per line (or folded with --fold).")
final class HostsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LIST", arity = "0..1", description = "Same forms as -H (or give it with -H).")
    String list;

    @Mixin
    FleetOptions fleet = new FleetOptions();

    @Option(names = "--fold", description = "Print the list folded into ranges on one line.")
    boolean fold;

    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> hosts = fleet.inheriting(parent.fleet).resolveArgument(list, parent.io());
        PrintWriter out = spec.commandLine().getOut();
        if (fold) {
            out.println(HostFolder.fold(hosts));
        } else {
            hosts.forEach(out::println);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
