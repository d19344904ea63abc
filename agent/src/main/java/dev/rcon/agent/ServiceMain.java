package dev.rcon.agent;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.ConfigFile;
import dev.rcon.agent.net.Log;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The systemd unit's entry: {@code ServiceMain CONFIG [AUTHORIZED_KEYS]} serves the settings of
 * the file CONFIG (as {@code rcon-agent --config CONFIG} does), with the authorized keys read from
 * AUTHORIZED_KEYS instead when it is given (the restricted drop-in's copy). A service has these
 * inputs and no others: the command line for people, with its options, help and subcommands,
 * stays {@link AgentMain}'s. Picocli's classes, and the JDK's classes its reflection loads, stay
 * loaded for a JVM's whole life once parsed with: about 3.5 MB of an idle agent's 56
 * (bench/README.md).
 */
public final class ServiceMain {
    private static final String EXPECTED = "rcon-agent: expected CONFIG [AUTHORIZED_KEYS] (as the unit gives:"
            + " /etc/rcon/agent.json) but got ";
    private static final String OPTIONS = "; options are rcon-agent's (rcon-agent --help)";

    private ServiceMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.err, args));
    }

    /** 0 stopped by signal, 1 could not run (a bind failed, say), 2 bad configuration or arguments. */
    static int run(PrintStream err, String... args) {
        if (args.length < 1 || args.length > 2) {
            err.println(EXPECTED + args.length + " arguments" + OPTIONS);
            return Serve.EXIT_CONFIG;
        }
        for (String arg : args) {
            if (arg.startsWith("-")) {
                err.println(EXPECTED + "the option '" + Log.escape(arg) + "'" + OPTIONS);
                return Serve.EXIT_CONFIG;
            }
        }
        try {
            AgentConfig config = ConfigFile.read(Path.of(args[0]));
            if (args.length == 2) {
                config = Serve.override(config, "AUTHORIZED_KEYS", AgentConfig.AUTHORIZED_KEYS, Path.of(args[1]));
            }
            return Serve.serve(config);
        } catch (Exception e) {
            err.println(Serve.errorLine(e));
            return Serve.exitCode(e);
        }
    }
}
