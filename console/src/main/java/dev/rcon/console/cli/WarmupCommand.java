package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.console.client.SessionPreload;
import dev.rcon.console.io.ExitCodes;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rcon warmup} (hidden): loads the classes a run needs ({@link SessionPreload}'s, then
 * a whole one-shot against a stand-in agent on loopback, {@link WarmupSession}), so that bin/rcon
 * can record them once in a class-data-sharing archive and start every later run from it.
 */
@Command(name = "warmup", hidden = true, description = "Load the classes a run needs, for the launcher's CDS archive.")
final class WarmupCommand implements Callable<Integer> {
    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SecureRandom random = new SecureRandom();
        // The session below loads all of this too; done first without the network, so that the
        // archive still holds the crypto and the codec when the stand-in session fails.
        Key.generate(random, "warmup");
        // Started as a run starts it, so that the archive holds its thread's lambdas too.
        SessionPreload.start().join();
        // The parser of a run that connects, which this run (a subcommand) did not build.
        String[] oneShot = {"--host", "localhost", "-n", "--", "true"};
        ConsoleCommandLine.of(parent.io(), oneShot).parseArgs(oneShot);
        try {
            WarmupSession.run(parent.io(), random, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        } catch (Exception e) {
            // Still worth an archive of what loaded so far; the launcher discards this line.
            spec.commandLine().getErr().println("rcon warmup: the stand-in session failed: " + e);
        }
        return ExitCodes.OK;
    }
}
