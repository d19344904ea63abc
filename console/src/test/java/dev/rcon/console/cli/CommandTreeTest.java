package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The root alone for runs that cannot need a subcommand; the whole tree for everything else. */
@Timeout(30)
class CommandTreeTest {
    @TempDir
    Path home;

    @Test
    void aRemoteCommandNeedsOnlyTheRoot() {
        assertFalse(CommandTree.needsSubcommands("--host", "h1", "--", "true"));
        assertFalse(CommandTree.needsSubcommands("--host", "h1", "-n", "ls", "-l"));
        assertFalse(CommandTree.needsSubcommands("-H", "web[1-3]", "--fanout", "8", "uptime"));
        assertFalse(CommandTree.needsSubcommands("--host", "h1", "--", "put", "-h", "help"));
        assertFalse(CommandTree.needsSubcommands());
    }

    @Test
    void onlyARunOfTheRootThatDoesNotAskForTheVersionConnects() {
        assertTrue(CommandTree.connects("--host", "h1", "--", "true"));
        assertTrue(CommandTree.connects("-H", "web[1-3]", "uptime"));
        assertTrue(CommandTree.connects("--host", "h1", "--", "java", "--version", "-V"));
        assertFalse(CommandTree.connects("--version"));
        assertFalse(CommandTree.connects("-V"));
        assertFalse(CommandTree.connects("--host", "h1", "-nV"));
        assertFalse(CommandTree.connects("--host", "h1", "keygen"));
        assertFalse(CommandTree.connects("--help"));
    }

    @Test
    void helpOrASubcommandsNameGetsTheWholeTree() {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("-nh"), List.of("help", "put"),
                List.of("put", "a", "h1:/tmp/a"), List.of("--host", "h1", "keygen"), List.of("--host", "h1", "warmup"),
                List.of("--host", "h1", "ls", "get"))) {
            assertTrue(CommandTree.needsSubcommands(args.toArray(String[]::new)), args.toString());
        }
    }

    @Test
    void theWholeTreeHasEverySubcommandAndHelpListsAllButWarmup() {
        assertEquals(List.of("keygen", "authorize", "hosts", "ping", "put", "get", "last", "rotate", "warmup"),
                List.copyOf(CommandTree.full(null).getSubcommands().keySet()));
        assertEquals(CommandTree.names(), List.copyOf(CommandTree.full(null).getSubcommands().keySet()));
        ConsoleRun help = ConsoleRun.run(home, "", "--help");
        assertEquals(0, help.status(), help.err());
        for (String name : List.of("keygen", "authorize", "hosts", "ping", "put", "get", "last", "rotate")) {
            assertTrue(help.out().contains("\n  " + name + " "), name + " missing from:\n" + help.out());
        }
        assertFalse(help.out().contains("warmup"), help.out());
    }

    @Test
    void aRemoteCommandNamedLikeASubcommandIsStillRemote() {
        ConsoleRun r = ConsoleRun.run(home, "", "--host", "127.0.0.1:1", "--", "keygen");
        assertEquals(255, r.status());
        assertFalse(r.out().contains("rcon-key"), r.out());
    }
}
