package dev.rcon.console.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rcon.common.auth.HostKeys;
import dev.rcon.common.auth.HostLabel;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
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

/**
 * {@code rcon authorize LIST}: the authorized-keys line each host needs, derived from the
 * console's fleet key for the host's label (RCON1.md 5.1). A host's line opens that host only.
 */
@Command(name = "authorize", mixinStandardHelpOptions = true,
        description = {"Print each host's authorized-keys line, derived from your key for it alone.",
            "Add it to /etc/rcon/authorized_keys on the host, e.g. with:",
            "  rcon authorize web01 | ssh web01 sudo rcon-agent add-key -"})
final class AuthorizeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LIST", arity = "0..1", description = "Hosts, in the forms of -H (or give them with -H).")
    String list;

    @Mixin
    FleetOptions fleet = new FleetOptions();

    @Mixin
    KeyOptions keys = new KeyOptions();

    @Option(names = "--json", description = "One JSON array of {\"host\", \"label\", \"kid\", \"line\"} objects.")
    boolean json;

    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        FleetOptions where = fleet.inheriting(parent.fleet);
        List<String> hosts = where.resolveArgument(list, parent.io());
        dev.rcon.console.fleet.Inventory inventory = where.inventory(parent.io());
        Key fleetKey = keys.or(parent.keys).load(parent.io());
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode array = new ObjectMapper().createArrayNode();
        for (String host : hosts) {
            HostLabel label = inventory.target(host).hostLabel();
            Key key = HostKeys.derive(fleetKey, label);
            if (json) {
                array.addObject().put("host", host).put("label", label.text()).put("kid", key.kidHex())
                        .put("line", KeyLine.format(key));
            } else {
                out.println(KeyLine.format(key));
            }
        }
        if (json) {
            out.println(array.toString());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
