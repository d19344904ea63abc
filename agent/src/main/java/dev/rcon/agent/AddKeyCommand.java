package dev.rcon.agent;

import dev.rcon.agent.auth.Accounts;
import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.channel.RequestException;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.keys.KeyStore;
import dev.rcon.agent.net.Log;
import dev.rcon.common.msg.Keys;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rcon-agent add-key -}: enrolls this host for a console, as {@code rcon authorize HOST}
 * printed the line, through the same checked, atomic change as the key-management request. The
 * line comes on stdin only: it holds the host's psk, and a command's arguments are readable by
 * every local user (ps, /proc/PID/cmdline) for as long as it runs.
 */
@Command(name = "add-key", mixinStandardHelpOptions = true,
        description = {"Add the authorized-keys line on stdin, as 'rcon authorize HOST' prints it.",
            "A key already there is left as it is. The file is checked, replaced atomically",
            "and stays 0600 (made empty, 0600, when it does not exist; its directory must).",
            "Then reload a running agent: systemctl reload rcon-agent", "",
            "  rcon authorize web01 | ssh web01 sudo rcon-agent add-key -", ""})
final class AddKeyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "-", description = "Read the line from stdin, to its end (Ctrl-D at a terminal): one key line; a line given"
            + " here is refused, since every local user can read a command's arguments.")
    String line;

    @Option(names = "--authorized-keys", paramLabel = "FILE",
            description = "Default: " + AgentConfig.DEFAULT_AUTHORIZED_KEYS_FILE + ".")
    Path file = Path.of(AgentConfig.DEFAULT_AUTHORIZED_KEYS_FILE);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code -} reads: System.in, or what {@link AgentMain#run} is given, so no test replaces the JVM's. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws Exception {
        if (!line.equals("-")) {
            throw new IllegalArgumentException("refusing a key line given as an argument: every local user can read"
                    + " a command's arguments (ps, /proc/PID/cmdline), and the line holds this host's key (treat it as"
                    + " seen); pipe it in instead: rcon authorize HOST | rcon-agent add-key -");
        }
        String text = firstLine();
        Accounts accounts = Accounts.system();
        String kid = AuthorizedKeys.entry(text.strip(), accounts).key().kidHex();
        // A first key for an agent run by hand (rcon-agent --authorized-keys ~/rcon/authorized_keys):
        // the file is made as install.sh makes it, empty and 0600, in a directory the agent would read.
        if (!java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && java.nio.file.Files.isDirectory(file.toAbsolutePath().getParent())
                && dev.rcon.common.auth.KeyFiles.createPrivate(file)) {
            spec.commandLine().getOut().println("created    " + file + " (0600)");
        }
        AuthorizedKeys keys = AuthorizedKeys.load(file, accounts);
        if (keys.find(java.util.HexFormat.of().parseHex(kid)).isPresent()) {
            spec.commandLine().getOut().println("unchanged  " + file + " already authorizes key " + kid);
            spec.commandLine().getOut().flush();
            return 0;
        }
        KeyStore store = new KeyStore(file, keys, accounts, new Log(new PrintStream(PrintStream.nullOutputStream())));
        try {
            store.apply(Keys.add(1, text.strip()), null);
        } catch (RequestException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        spec.commandLine().getOut().println("added      key " + kid + " to " + file
                + " (reload a running agent: systemctl reload rcon-agent)");
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The one key line on stdin. More than one is refused: {@code rcon authorize LIST} prints a
     * line per host, and taking the first would enroll this host with another host's key, which
     * root here could then read and use to log in there (RCON1.md 5.1 keeps each host's key its own).
     */
    private String firstLine() throws java.io.IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String found = null;
        for (int i = 0; i < 100; i++) {
            String l = in.readLine();
            if (l == null) {
                break;
            }
            if (l.isBlank() || l.strip().startsWith("#")) {
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException("stdin holds more than one key line, and each host takes its own"
                        + " (rcon authorize LIST prints one per host); nothing was added; pipe in one host's line:"
                        + " rcon authorize HOST | rcon-agent add-key -");
            }
            found = l;
        }
        if (found == null) {
            throw new IllegalArgumentException("stdin holds no key line");
        }
        return found;
    }
}
