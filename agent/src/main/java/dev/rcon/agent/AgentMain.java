package dev.rcon.agent;

import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.ConfigFile;
import dev.rcon.agent.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rcon-agent}: parse the command line, start the agent, serve until TERM or INT. */
@Command(name = "rcon-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        subcommands = {AuditCommand.class, AddKeyCommand.class},
        description = {"Serves rcon consoles: runs the commands of each that proves its key.",
            "Each console proves its key with the rcon/1 HMAC challenge before anything runs."},
        sortOptions = false)
public final class AgentMain implements Callable<Integer> {
    static final int EXIT_KEYS_REFUSED = 1;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON configuration, as /etc/rcon/agent.json; command-line options override it.")
    Path configFile;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on; repeatable. Port 0 picks a free port. Default: 0.0.0.0:"
                    + AgentConfig.DEFAULT_PORT + ".")
    List<String> listen;

    @Option(names = "--authorized-keys", paramLabel = "FILE",
            description = "Keys allowed in, one 'rcon1 KID PSK NAME' line each. Default: "
                    + AgentConfig.DEFAULT_AUTHORIZED_KEYS_FILE + ".")
    Path authorizedKeys;

    @Option(names = "--handshake-timeout", paramLabel = "MS",
            description = "Milliseconds a connection has to authenticate. Default: "
                    + AgentConfig.DEFAULT_HANDSHAKE_TIMEOUT_MS + ".")
    Long handshakeTimeoutMs;

    @Option(names = "--audit-file", paramLabel = "FILE",
            description = "Where the audit trail is appended. Default: /var/log/rcon/audit.jsonl.")
    Path auditFile;

    @Option(names = "--check-keys", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "Only check FILE (default: the authorized keys the agent would read) exactly as the agent"
                    + " reads it, print one line and exit 0 if it loads, 1 if not; for ExecReload.")
    String checkKeys;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = config();
        if (checkKeys != null) {
            return checkKeys(checkKeys.isEmpty() ? config.authorizedKeys() : Path.of(checkKeys));
        }
        return Serve.serve(config);
    }

    /** {@code --check-keys}: one line, on stdout if the file loads, else on stderr. */
    private int checkKeys(Path file) {
        try {
            AuthorizedKeys keys = AuthorizedKeys.load(file);
            spec.commandLine().getOut().println(file + ": ok, " + keys.size() + " keys");
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException | java.io.IOException e) {
            spec.commandLine().getErr().println(Serve.errorLine(e));
            spec.commandLine().getErr().flush();
            return EXIT_KEYS_REFUSED;
        }
    }

    /** The file's settings (or the defaults) with the command line's over them. */
    private AgentConfig config() {
        AgentConfig config = configFile != null ? ConfigFile.read(configFile) : AgentConfig.defaults();
        config = Serve.override(config, "--listen", AgentConfig.LISTEN,
                listen == null ? null : listen.stream().map(HostPort::parse).toList());
        config = Serve.override(config, "--authorized-keys", AgentConfig.AUTHORIZED_KEYS, authorizedKeys);
        config = Serve.override(config, "--audit-file", AgentConfig.AUDIT_FILE, auditFile);
        return Serve.override(config, "--handshake-timeout", AgentConfig.HANDSHAKE_TIMEOUT,
                handshakeTimeoutMs == null ? null : Duration.ofMillis(handshakeTimeoutMs));
    }

    /**
     * Exit codes: 0 stopped by signal, 1 could not run (e.g. bind failed), 2 bad configuration.
     * With {@code --check-keys}: 0 the keys load, 1 they do not, 2 bad configuration.
     */
    public static int run(String... args) {
        return run(System.in, args);
    }

    /** As {@link #run(String...)}, with {@code stdin} as what {@code add-key -} reads. */
    public static int run(java.io.InputStream stdin, String... args) {
        CommandLine cmd = new CommandLine(new AgentMain());
        ((AddKeyCommand) cmd.getSubcommands().get("add-key").getCommand()).stdin = stdin;
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            // One line whatever a config value or an argument holds (a newline, U+202E).
            line.getErr().println(Serve.errorLine(e));
            return Serve.exitCode(e);
        });
        cmd.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println(Serve.errorLine(e) + " (see rcon-agent --help)");
            return Serve.EXIT_CONFIG;
        });
        return cmd.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {dev.rcon.agent.net.AgentIdentityInfo.agentName()};
        }
    }
}
