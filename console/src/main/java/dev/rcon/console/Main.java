package dev.rcon.console;

import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.cli.CommandTree;
import dev.rcon.console.cli.ConsoleCommandLine;
import dev.rcon.console.client.SessionPreload;
import picocli.CommandLine;

/** Entry point of {@code rcon}. Users see one-line messages, never stack traces. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ConsoleIO io = ConsoleIO.system();
        // The session's cryptography and codec load on a second thread while picocli builds the command.
        if (CommandTree.connects(args)) {
            SessionPreload.start();
        }
        int status = run(io, args);
        // A thread still reading stdin (an open pipe, the terminal) would hold the exit 300 ms.
        io.release();
        System.exit(status);
    }

    /** Runs the console against {@code io}; returns the exit status. */
    public static int run(ConsoleIO io, String... args) {
        CommandLine cmd = ConsoleCommandLine.of(io, args);
        int status = cmd.execute(args);
        cmd.getOut().flush();
        cmd.getErr().flush();
        return status;
    }
}
