package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;

/** A command's processes and the scope they run in, once launched. */
record Launched(Spawned spawned, CommandScope scope) {

    /**
     * Opens the command's scope and launches it there. When that fails, the scope goes, with
     * whatever did start in it.
     *
     * @throws RequestException why the command cannot start; busy when the JDK forked and then
     *     got no thread to reap the child (its "process reaper"), at the host's task limit
     */
    static Launched launch(ExecSettings settings, Exec request, RunAs runAs) throws RequestException {
        CommandScope scope = null;
        try {
            scope = settings.scopes().open(request.pty() != null);
            return new Launched(settings.launcher().launch(request, runAs, scope), scope);
        } catch (RequestException | RuntimeException | OutOfMemoryError e) {
            if (scope != null) {
                scope.killAll();
                scope.close();
            }
            if (e instanceof OutOfMemoryError) {
                throw RequestException.noThread();
            }
            throw e;
        }
    }

    /** Waits until the command runs inside its scope; when it never will, it goes, and the scope with it. */
    Launched awaitJoined() throws RequestException {
        try {
            spawned.awaitJoined();
            return this;
        } catch (RequestException | RuntimeException e) {
            // The spawn has ended the leader by PID already (Spawner.Spawn), before the scope goes.
            scope.killAll();
            scope.close();
            throw e;
        }
    }
}
