package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rcon keygen}: a fresh key from the CSPRNG, written 0600. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make a fresh fleet key (0600; it never leaves this machine and is not printed).",
            "Then enroll each host with the line derived for it: rcon authorize HOST."})
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "Name the agent logs for this key. Default: USER@HOST.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it. Default: ~/.config/rcon/key.")
    Path output;

    @Option(names = "--force", description = "Replace an existing key file.")
    boolean force;

    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ConsoleIO io = parent.io();
        Path file = output != null ? output : KeyOptions.defaultKey(io);
        Key key = Key.generate(new SecureRandom(), name != null ? name : defaultName(io));
        KeyFiles.writeKey(file, key, force);
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote fleet key '" + key.name() + "' to " + file + " (mode 0600); it never leaves this machine");
        out.println("next, enroll each host with the line derived for it alone (it opens that host only):");
        out.println("  rcon authorize 'web[01-20]'            # prints one authorized-keys line per host");
        out.println("  rcon authorize web01 | ssh web01 sudo rcon-agent add-key -");
        out.flush();
        return ExitCodes.OK;
    }

    private static String defaultName(ConsoleIO io) {
        String user = io.getenv("USER").orElse(System.getProperty("user.name", "rcon"));
        String host;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            host = "localhost";
        }
        return user + "@" + host;
    }
}
