package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.console.fleet.Inventory;
import dev.rcon.console.fleet.KeyRotation;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import dev.rcon.common.concurrent.Threads;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rcon rotate LIST --new-key FILE}: moves each host from the console's key to a new one
 * through the agents' key-management request, so no shell ever edits a keys file. See
 * {@link KeyRotation} for why a failing host is never locked out.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Replace each host's key with one derived from a new fleet key, without lockout.",
            "Per host: add the new key (same options as the old), log in with it, remove the old one;",
            "a host where a step fails keeps its old key. The old key's lines need manage-keys.",
            "Make the new key yours (e.g. mv NEW ~/.config/rcon/key) once every host is rotated."},
        footer = {"", "Exit status: 0 every host rotated, 1 some kept their old key, 2 some were unreachable or accept",
            "neither key."})
final class RotateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LIST", arity = "0..1", description = "Hosts, in the forms of -H (or give them with -H).")
    String list;

    @Option(names = "--new-key", paramLabel = "FILE", required = true,
            description = "The new fleet key (make it with: rcon keygen -o FILE).")
    Path newKey;

    @Option(names = {"-f", "--fanout"}, paramLabel = "N", defaultValue = "16",
            description = "Hosts rotated at once. Default: ${DEFAULT-VALUE}.")
    int fanout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Give up connecting to a host after this long. Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Mixin
    FleetOptions fleet = new FleetOptions();

    @Mixin
    KeyOptions keys = new KeyOptions();

    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (fanout < 1 || fanout > 1024) {
            throw new IllegalArgumentException("--fanout must be 1 to 1024 but was " + fanout);
        }
        ConsoleIO io = parent.io();
        FleetOptions where = fleet.inheriting(parent.fleet);
        List<String> hosts = where.resolveArgument(list, io);
        Inventory inventory = where.inventory(io);
        Key oldFleet = keys.or(parent.keys).load(io);
        Key newFleet = KeyFiles.readKey(newKey);
        if (newFleet.kidHex().equals(oldFleet.kidHex())) {
            throw new IllegalArgumentException("--new-key " + newKey + " is the key in use; make a new one with"
                    + " rcon keygen -o " + newKey + " --force");
        }
        KeyRotation rotation = new KeyRotation(oldFleet, newFleet, connectTimeout);
        List<Future<KeyRotation.Result>> running = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(fanout, hosts.size()), Threads.factory("rotate"));
        try {
            for (String host : hosts) {
                dev.rcon.console.client.Target target = inventory.target(host);
                running.add(pool.submit(() -> rotation.rotate(host, target)));
            }
            return report(running);
        } finally {
            pool.shutdownNow();
        }
    }

    private int report(List<Future<KeyRotation.Result>> running) throws InterruptedException, ExecutionException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<KeyRotation.Status, Integer> counts = new EnumMap<>(KeyRotation.Status.class);
        for (Future<KeyRotation.Result> future : running) {
            KeyRotation.Result r = future.get();
            counts.merge(r.status(), 1, Integer::sum);
            switch (r.status()) {
                case ROTATED -> out.println(r.host() + ": rotated (" + r.detail() + ")");
                case KEPT_OLD_KEY -> err.println(r.host() + ": kept its old key: " + r.detail());
                case UNREACHABLE -> err.println(r.host() + ": unreachable, unchanged: " + r.detail());
                case NEITHER_KEY -> err.println(r.host() + ": accepts neither key: " + r.detail());
            }
        }
        out.flush();
        int rotated = counts.getOrDefault(KeyRotation.Status.ROTATED, 0);
        int kept = counts.getOrDefault(KeyRotation.Status.KEPT_OLD_KEY, 0);
        int unreachable = counts.getOrDefault(KeyRotation.Status.UNREACHABLE, 0);
        int neither = counts.getOrDefault(KeyRotation.Status.NEITHER_KEY, 0);
        err.println("rotate: " + rotated + " of " + running.size() + " hosts rotated, " + kept + " kept their old key, "
                + unreachable + " unreachable" + (neither > 0 ? ", " + neither + " accept neither key" : "") + (rotated == running.size()
                ? "; now make " + newKey + " your key" : "; keep the old key until every host is rotated"));
        err.flush();
        return unreachable + neither > 0 ? ExitCodes.FLEET_SOME_UNREACHABLE
                : kept > 0 ? ExitCodes.FLEET_SOME_FAILED : ExitCodes.OK;
    }
}
