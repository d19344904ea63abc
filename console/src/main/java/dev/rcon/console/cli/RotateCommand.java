package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.console.fleet.Inventory;
import dev.rcon.console.fleet.KeyRotation;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.client.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
            "Per host: add the new key (same options as the old), log in with it, remove",
            "the old one; a host where a step fails keeps its old key. The old key's lines",
            "need manage-keys. Make the new key yours (e.g. mv NEW ~/.config/rcon/key)",
            "once every host is rotated."},
        footer = {"", "Exit status: 0 every host rotated, 1 some kept their old key or are",
            "unfinished, 2 some were unreachable or neither key logs in, 130 stopped by",
            "Ctrl-C (the first Ctrl-C starts no more hosts, the second stops waiting)."})
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
        Map<String, Target> targets = new LinkedHashMap<>();
        for (String host : hosts) {
            targets.putIfAbsent(host, inventory.target(host));
        }
        return new RotationRun(rotation, newKey.toString(), spec.commandLine().getOut(), spec.commandLine().getErr())
                .run(targets, fanout, io.interrupts());
    }
}
