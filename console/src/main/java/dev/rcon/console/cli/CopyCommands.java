package dev.rcon.console.cli;

import dev.rcon.common.files.OwnerOnly;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.FileModes;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import dev.rcon.console.fleet.FleetCopy;
import dev.rcon.console.io.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rcon put} and {@code rcon get}: one file each way, checked by sha256 on arrival. */
final class CopyCommands {
    private CopyCommands() {
    }

    /** Where to connect, shared by both. */
    static final class Connection {
        @Option(names = "--host", paramLabel = "HOST",
                description = "The agent, HOST or HOST:PORT (also before the subcommand).")
        String host;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
                description = "Give up connecting after this long. Default: ${DEFAULT-VALUE}.")
        Duration connectTimeout;

        @Mixin
        KeyOptions keys = new KeyOptions();

        /**
         * Options given before the subcommand ({@code rcon --host H --key K put ...}) count too;
         * {@code fleet} holds the subcommand's own --inventory, which a single host obeys as well.
         */
        RconClient connect(RconCommand parent, CopyFleet fleet) throws Exception {
            String where = host != null ? host : parent.host;
            if (where == null) {
                throw new IllegalArgumentException("name the agent with --host HOST[:PORT]");
            }
            // The inventory's address and label count here as for --host and -H.
            Target target = fleet.hosts.inheriting(parent.fleet).inventory(parent.io()).target(where);
            return RconClient.connect(target, key(parent), connectTimeout);
        }

        dev.rcon.common.auth.Key key(RconCommand parent) throws java.io.IOException {
            return keys.or(parent.keys).load(parent.io());
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = {"Copy a local file to the host: staged beside the target, checked, renamed.",
                "With -H LIST, to every host of the list at once."})
    static final class Put implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Option(names = "--mode", paramLabel = "MODE", description = "Remote mode like 0644. Default: the local file's.")
        String mode;

        @Parameters(index = "0", paramLabel = "LOCAL", description = "The local file to send.")
        Path local;

        @Parameters(index = "1", paramLabel = "REMOTE", description = "Absolute path; ending in / means that directory.")
        String remote;

        @ParentCommand
        RconCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        CopyFleet fleet = new CopyFleet();

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(local)) {
                throw new IllegalArgumentException(local + (Files.isDirectory(local) ? ": is a directory (put copies one file)"
                        : Files.exists(local) ? ": not a regular file" : ": no such file"));
            }
            String target = remote.endsWith("/") ? remote + local.getFileName() : remote;
            String m = mode != null ? mode : FileModes.of(Files.getPosixFilePermissions(local));
            if (fleet.given(parent)) {
                return fleet.run(parent, connection.key(parent), "put " + local + " " + target, connection.connectTimeout,
                        output -> FleetCopy.put(local, target, m, output));
            }
            try (RconClient client = connection.connect(parent, fleet)) {
                Done done = client.put(local, target, m);
                spec.commandLine().getOut().println(local + " -> " + client.target().typed() + ":" + target + " (" + done.size()
                        + " bytes, sha256 " + done.sha256() + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Copy a file from the host: staged beside LOCAL, checked, renamed.",
                "With -H LIST, from every host of the list into LOCAL/HOST/NAME."})
    static final class Get implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "REMOTE", description = "Absolute path on the host.")
        String remote;

        @Parameters(index = "1", paramLabel = "LOCAL", description = "File, or a directory to put it in.")
        Path local;

        @ParentCommand
        RconCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        CopyFleet fleet = new CopyFleet();

        @Override
        public Integer call() throws Exception {
            if (fleet.given(parent)) {
                // As --outdir: a LOCAL that does not exist yet is made, 0700 (rcon get -H @web F logs/).
                if (!Files.exists(local, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(local, OwnerOnly.DIRECTORY);
                }
                if (!Files.isDirectory(local)) {
                    throw new IllegalArgumentException("with -H, LOCAL is a directory that gets one directory per host,"
                            + " and " + local + " is not one");
                }
                Path into = FleetCopy.checkLocalDirectory(local);
                return fleet.run(parent, connection.key(parent), "get " + remote + " " + local, connection.connectTimeout,
                        output -> FleetCopy.get(remote, into, output));
            }
            Path target = Files.isDirectory(local) ? local.resolve(Path.of(remote).getFileName()) : local;
            try (RconClient client = connection.connect(parent, fleet)) {
                Done done = client.get(remote, target);
                spec.commandLine().getOut().println(client.target().typed() + ":" + remote + " -> " + target + " (" + done.size()
                        + " bytes, sha256 " + done.sha256() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
