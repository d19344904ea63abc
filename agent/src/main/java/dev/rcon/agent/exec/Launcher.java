package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;

/**
 * Starts the process of an {@code exec} request, leading a new session and process group.
 * Commands start only through a launcher, so that how a process is attached (pipes, a terminal)
 * is decided in one place; every launcher builds its argv with {@link Spawner}.
 */
public interface Launcher {
    /**
     * Starts {@code request}'s process as {@code runAs} inside {@code scope}: the scope's prefix
     * runs first. On a terminal the launch awaits the join; on pipes the channel does, through
     * {@link Spawned#awaitJoined}, on a thread of the command's own.
     *
     * @throws RequestException ({@code not_found}, {@code spawn_failed}) when it cannot start;
     *     the caller closes the scope
     */
    Spawned launch(Exec request, RunAs runAs, CommandScope scope) throws RequestException;

    /** Commands with a {@code pty} on a terminal of their own, the rest on pipes. */
    static Launcher standard() {
        ProcessPipes.requireAccess();
        Launcher pipes = new PipeLauncher();
        Launcher terminals = new PtyLauncher();
        return (request, runAs, scope) -> (request.pty() != null ? terminals : pipes).launch(request, runAs, scope);
    }
}
