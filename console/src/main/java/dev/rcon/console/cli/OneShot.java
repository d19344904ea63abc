package dev.rcon.console.cli;

import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.wire.Limits;
import dev.rcon.console.client.Durations;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.OutputListener;
import dev.rcon.console.client.Patience;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.RemoteCommand;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.ExitCodes;
import dev.rcon.console.io.RawOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * {@code rcon --host H -- COMMAND}: run one command, stream its output, exit as it did.
 * Ctrl-C sends INT to the remote process group; a second sends KILL and the console then exits
 * 130 once the agent reports the end; a third gives up on the host at once. A host that has not
 * reported the end {@link RemoteCommand#GIVE_UP_AFTER_TIMEOUT} after {@code --timeout} is given
 * up on too (255): the agent enforces the timeout, and a wedged or compromised one may not.
 */
final class OneShot {
    private OneShot() {
    }

    static int run(RconClient client, ExecRequest request, ConsoleIO io, PrintWriter err)
            throws Exception {
        BrokenPipe output = new BrokenPipe(new RawOutput(io.out(), io.err()));
        try (Patience.Listening listening = new Patience.Listening(io.interrupts()::onInterrupt)) {
            RemoteCommand command = client.exec(request, output);
            output.command = command;
            if (request.stdin()) {
                forwardStdin(io.in(), command, client);
            }
            Patience patience = listening.started(new Patience(client, command, request.timeout()));
            Patience.End end = patience.await();
            if (end.exit() == null) {
                err.println("rcon: " + end.gaveUp());
                return end.atCtrlC() ? ExitCodes.INTERRUPTED : ExitCodes.COULD_NOT_RUN;
            }
            Exit exit = end.exit();
            if (exit.timedOut()) {
                err.println("rcon: " + client.target() + ": command timed out after "
                        + Durations.format(request.timeout()) + " and was ended by " + dev.rcon.common.wire.PeerText.escape(exit.signal()));
            }
            if (output.broken) {
                return ExitCodes.BROKEN_PIPE;
            }
            return patience.interrupts() >= 2 ? ExitCodes.INTERRUPTED : ExitCodes.of(exit);
        }
    }

    /**
     * Local stdout closed under us ({@code rcon ... | head}): like a writer in a shell pipeline,
     * the remote command is ended (TERM) and the console exits 141 without a message.
     */
    private static final class BrokenPipe implements OutputListener {
        private final OutputListener delegate;
        volatile RemoteCommand command;
        volatile boolean broken;

        BrokenPipe(OutputListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void stdout(byte[] bytes) {
            if (broken) {
                return;
            }
            try {
                delegate.stdout(bytes);
            } catch (IOException e) {
                broken = true;
                RemoteCommand c = command;
                if (c != null) {
                    try {
                        c.signal(SignalName.TERM);
                    } catch (IOException gone) {
                        // The session is ending anyway.
                    }
                }
            }
        }

        @Override
        public void stderr(byte[] bytes) throws IOException {
            delegate.stderr(bytes);
        }
    }

    /** Copies local stdin to the remote command on a thread of its own, then closes it. */
    static void forwardStdin(InputStream in, RemoteCommand command, RconClient client) {
        Threads.start("stdin-" + client.target(), () -> {
            byte[] buf = new byte[Limits.CHUNK];
            try {
                int n;
                while ((n = in.read(buf)) >= 0 && !command.isDone()) {
                    if (n > 0) {
                        command.stdin(Arrays.copyOf(buf, n));
                    }
                }
                command.closeStdin();
            } catch (IOException e) {
                // Local stdin broke or the session ended: the command sees EOF or is already gone.
            }
        });
    }
}
