package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.io.Closing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A command that started, as its channel drives it: the leader process and how the agent is
 * attached to it (three pipes, or one terminal).
 */
public interface Spawned {
    /** The command's first process: it leads the command's session and process group. */
    Process leader();

    /**
     * Waits until the command runs inside its scope (a cgroup's join), when the launch left that
     * to the channel.
     *
     * @throws RequestException {@code spawn_failed}: the command never ran and its process is ended
     */
    default void awaitJoined() throws RequestException {
    }

    /** Everything the command writes to stdout, or to its terminal. */
    InputStream stdout();

    /** The command's stderr, or null when stderr is its terminal and arrives with stdout. */
    InputStream stderr();

    /**
     * Where stdin bytes go, or null when the command has none. Closing it ends the command's
     * input when that is a pipe; on a terminal it only stops writing.
     */
    OutputStream stdin();

    /** Called once for the console's stdin eof, before {@link #stdin()} is closed. */
    void endInput() throws IOException;

    /** Sets the size of the command's terminal. */
    void resize(int cols, int rows) throws RequestException;

    /**
     * True when the command may start process groups of its own in its session (a shell with
     * job control on its terminal), so that signals and teardown reach every group of the
     * session rather than the leader's group only.
     */
    default boolean wholeSession() {
        return false;
    }

    /** The leader exited; called before the channel waits for the rest of the output. */
    default void leaderExited() {
    }

    /** The command ended and all its output was read: release what the agent holds. Idempotent. */
    default void release() {
    }

    /** The agent gives up on the command (its process is killed): closes the output streams, then releases. */
    default void abandon() {
        Closing.quietly(stdout());
        Closing.quietly(stderr());
        release();
    }
}
