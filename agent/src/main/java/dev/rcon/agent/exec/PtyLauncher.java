package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Starts commands on a new pseudo-terminal (RCON1.md section 4.2). The slave is passed to the
 * child as its stdin by descriptor; {@code setsid --ctty} makes it the controlling terminal of
 * the command's new session, and a one-line sh(1) makes stdout and stderr the terminal too
 * (the JDK can hand one descriptor to only one standard stream). The agent never opens the
 * terminal by path: a session leader without a terminal (the agent under systemd) would acquire
 * it as its own controlling terminal.
 */
final class PtyLauncher implements Launcher {
    private static final String ON_TERMINAL = "exec 1>&0 2>&0 && exec \"$@\"";

    @Override
    public Spawned launch(Exec request, RunAs runAs, CommandScope scope) throws RequestException {
        Pty size = request.pty();
        Spawner.Plan plan = Spawner.plan(request, runAs, List.of("--ctty"), ON_TERMINAL);
        plan.processBuilder().environment().put("TERM", size.term());
        PseudoTerminal terminal;
        try {
            terminal = PseudoTerminal.open(size.cols(), size.rows());
        } catch (IOException e) {
            throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot allocate a terminal: " + e.getMessage());
        }
        try {
            plan.processBuilder().redirectInput(terminal.slaveRedirect());
            // Pipes until the attach shell moves stdout and stderr onto the terminal: the scope's
            // join may speak on them first (a cgroup's join marker, its error text).
            Spawner.Spawn spawn = Spawner.start(plan, scope);
            spawn.awaitJoined();
            // Nothing more comes on them: the command writes to its terminal.
            spawn.pipes().close();
            return new OnTerminal(spawn.process(), terminal);
        } catch (RequestException | RuntimeException | OutOfMemoryError e) {
            // OutOfMemoryError: no reaper thread for the child (ExecChannel answers busy); the terminal goes too.
            terminal.close();
            throw e;
        }
    }

    /** A command whose stdin, stdout and stderr are one terminal. */
    private static final class OnTerminal implements Spawned {
        private final Process leader;
        private final PseudoTerminal terminal;
        private final OutputStream input;

        OnTerminal(Process leader, PseudoTerminal terminal) {
            this.leader = leader;
            this.terminal = terminal;
            this.input = terminal.input();
        }

        @Override
        public Process leader() {
            return leader;
        }

        @Override
        public InputStream stdout() {
            return terminal.output();
        }

        @Override
        public InputStream stderr() {
            return null;
        }

        @Override
        public OutputStream stdin() {
            return input;
        }

        /** Typed as a person would end input ({@link PseudoTerminal#endOfInput}). */
        @Override
        public void endInput() throws IOException {
            input.write(terminal.endOfInput());
        }

        @Override
        public void resize(int cols, int rows) throws RequestException {
            try {
                terminal.resize(cols, rows);
            } catch (IOException e) {
                throw new RequestException(ErrorCode.IO, e.getMessage());
            }
        }

        @Override
        public boolean wholeSession() {
            return true;
        }

        @Override
        public void leaderExited() {
            terminal.closeSlave();
        }

        @Override
        public void release() {
            terminal.close();
        }

        @Override
        public String toString() {
            return "command on " + terminal.name();
        }
    }
}
