package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.wire.ErrorCode;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** Starts commands on pipes: stdin, stdout and stderr are three pipes to the agent. */
public final class PipeLauncher implements Launcher {
    private static final File DEV_NULL = new File("/dev/null");

    @Override
    public Spawned launch(Exec request, RunAs runAs, CommandScope scope) throws RequestException {
        Spawner.Plan plan = Spawner.plan(request, runAs, List.of(), null);
        if (!request.wantsStdin()) {
            plan.processBuilder().redirectInput(DEV_NULL);
        }
        return new Pipes(Spawner.start(plan, scope), request.wantsStdin());
    }

    /** A command on three pipes; its stdin ends by closing the pipe. */
    private record Pipes(Spawner.Spawn spawn, boolean hasStdin) implements Spawned {
        @Override
        public Process leader() {
            return spawn.process();
        }

        @Override
        public void awaitJoined() throws RequestException {
            spawn.awaitJoined();
        }

        @Override
        public InputStream stdout() {
            return spawn.pipes().stdout();
        }

        @Override
        public InputStream stderr() {
            return spawn.pipes().stderr();
        }

        @Override
        public OutputStream stdin() {
            return hasStdin ? spawn.pipes().stdin() : null;
        }

        /** All three pipes: a stdin no writer took yet (a start that broke first) is the agent's to close too. */
        @Override
        public void abandon() {
            spawn.pipes().close();
            release();
        }

        @Override
        public void endInput() {
            // StdinPipe closes the pipe, which is the command's EOF.
        }

        @Override
        public void resize(int cols, int rows) throws RequestException {
            throw new RequestException(ErrorCode.BAD_REQUEST, ExecChannel.NOT_A_TERMINAL);
        }
    }
}
