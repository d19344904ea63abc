package dev.rcon.console.cli;

import dev.rcon.console.fleet.Pinger;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rcon ping LIST}: which agents are alive, over UDP, without a TCP connection. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {"Check which agents are alive over UDP (authenticated, no TCP).",
            "Exit 0 if all are up, 2 if not."})
final class PingCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LIST", arity = "0..1", description = "Same forms as -H (or give it with -H).")
    String list;

    @Mixin
    FleetOptions fleet = new FleetOptions();

    @Mixin
    KeyOptions keys = new KeyOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1s",
            description = "Wait this long for answers to each try. Default: ${DEFAULT-VALUE}.")
    Duration perTry;

    @Option(names = "--tries", paramLabel = "N", defaultValue = "3",
            description = "Send to a silent host this many times in all. Default: ${DEFAULT-VALUE}.")
    int tries;

    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConsoleIO io = parent.io();
        FleetOptions where = fleet.inheriting(parent.fleet);
        List<String> hosts = where.resolveArgument(list, io);
        List<Pinger.Result> results = new Pinger(keys.or(parent.keys).load(io), perTry, tries)
                .ping(hosts, where.inventory(io)::target);
        int width = hosts.stream().mapToInt(String::length).max().orElse(4);
        PrintWriter out = spec.commandLine().getOut();
        boolean allUp = true;
        for (Pinger.Result r : results) {
            String host = String.format("%-" + width + "s", r.host());
            if (r.up()) {
                out.printf("%s  up    %7.2f ms  uptime %s  (%s)%n", host, r.rttMillis(), uptime(r.reply().uptimeSeconds()),
                        dev.rcon.common.wire.PeerText.escape(r.reply().hostname()));
            } else {
                allUp = false;
                out.printf("%s  down  %s%n", host, r.why());
            }
        }
        out.flush();
        return allUp ? ExitCodes.OK : ExitCodes.FLEET_SOME_UNREACHABLE;
    }

    private static String uptime(long seconds) {
        long d = seconds / 86400;
        return (d > 0 ? d + "d " : "") + String.format("%02d:%02d:%02d", seconds % 86400 / 3600, seconds % 3600 / 60, seconds % 60);
    }
}
