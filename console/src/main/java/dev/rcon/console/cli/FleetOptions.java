package dev.rcon.console.cli;

import dev.rcon.console.fleet.HostList;
import dev.rcon.console.fleet.Inventory;
import dev.rcon.console.io.ConsoleIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How a fleet command names its hosts: {@code -H LIST}, {@code -x LIST}, {@code --inventory}. */
public final class FleetOptions {
    // The ranges last, where no column width breaks them: picocli breaks a line wherever Unicode
    // lets it, inside "db[1-3,7]" and "10.0.0.[1-50]" too (HelpTextTest). One string, since the
    // man page makes a paragraph of each.
    @Option(names = {"-H", "--hosts"}, paramLabel = "LIST",
            description = "Hosts, comma-separated: host, host:port, @group, ^FILE, web[01-20], db[1-3,7], 10.0.0.[1-50].")
    String hosts;

    @Option(names = "-x", paramLabel = "LIST", description = "Hosts to leave out (same forms as -H).")
    String exclude;

    @Option(names = "--inventory", paramLabel = "FILE", description = "Groups file. Default: ~/.config/rcon/hosts.")
    Path inventory;

    /**
     * For commands that take the list as their argument: {@code rcon hosts LIST}, {@code rcon ping
     * LIST}. Their help offers {@code -H LIST} too (this mixin's), and an operator used to {@code
     * pdsh -w} types it: {@code rcon ping -H @web} is {@code rcon ping @web}.
     */
    List<String> resolveArgument(String list, ConsoleIO io) throws IOException {
        if (list != null && hosts != null) {
            throw new IllegalArgumentException("give the host list once, as the argument or with -H, not both");
        }
        if (list == null && hosts == null) {
            throw new IllegalArgumentException("give a host list, as the argument (LIST) or with -H LIST");
        }
        if (list != null) {
            hosts = list;
        }
        return resolve(io);
    }

    /** Takes {@code outer}'s {@code --inventory} when this command was given none. */
    FleetOptions inheriting(FleetOptions outer) {
        if (inventory == null && outer != null) {
            inventory = outer.inventory;
        }
        return this;
    }

    boolean given() {
        return hosts != null;
    }

    /** The inventory: --inventory, else ~/.config/rcon/hosts if there is one. */
    Inventory inventory(ConsoleIO io) throws IOException {
        Path file = inventory != null ? inventory : io.home().resolve(".config/rcon/hosts");
        return Inventory.load(file, inventory != null);
    }

    /** Where fleet runs are recorded: {@link ConsoleIO#stateDir()}. */
    static Path stateDir(ConsoleIO io) {
        return io.stateDir();
    }

    /** The hosts named, in order, without duplicates or exclusions. */
    List<String> resolve(ConsoleIO io) throws IOException {
        List<String> list = new HostList(inventory(io), stateDir(io)).resolve(hosts, exclude);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("the host list '" + hosts + "'" + (exclude != null ? " minus '" + exclude + "'" : "")
                    + " names no host");
        }
        return list;
    }
}
