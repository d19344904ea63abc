package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;

/**
 * What holds every process of one command, whatever they do to leave it: a cgroup of its own
 * ({@link CgroupScope}) or, where the agent cannot make one, the process group that
 * {@code setsid} gives the command ({@link ProcessGroupScope}). Signals, the KILL at the end and
 * the question "is anything left?" all go through the scope.
 *
 * <p>Life cycle: {@link CommandScopes#open} makes one; the spawner puts its {@link #joinLine}
 * into a shell on the way to the command and starts the process; {@link #started} is called
 * next, before anything else reads from it (by the channel on pipes, once it holds stdout, or by
 * the launcher on a terminal); {@link #close} ends whatever is left and releases the scope.
 */
public interface CommandScope extends AutoCloseable {

    /**
     * A list of POSIX shell commands, run as root by a /bin/sh on the way to the command (and
     * before anything of the command's), that puts that shell's process inside the scope and
     * exits with status 126 if it cannot; it sets no shell variable, since the command's own
     * shell may run it. Null when the process is inside from its start.
     */
    default String joinLine() {
        return null;
    }

    /**
     * Binds the scope to the process just started, and confirms the process is inside it.
     *
     * @param pipes the process's pipes, where a join may speak before the command runs
     * @param inCommandShell whether the {@link #joinLine} ran at the start of the command's own
     *     {@code sh -c}: then that shell may end with status 2 before it, having run nothing, when
     *     it cannot parse the command's first line or start; that is the command's own failure
     *     (its message is on stderr), and the process is left for the channel to report
     * @throws RequestException {@code spawn_failed} when it is not: the command never ran, and the
     *     caller ends the process and closes the scope
     */
    void started(Process process, ProcessPipes pipes, boolean inCommandShell) throws RequestException;

    /** Sends signal {@code number} to every process of the command. */
    void signal(int number);

    /** True while some process of the command is still alive. */
    boolean hasMembers();

    /** Sends KILL to every process of the command, including any that left its process group. */
    void killAll();

    /**
     * Releases the scope if nothing of the command is left, as the command ends; false, and
     * nothing done, while some process lives on (a background job).
     */
    default boolean closeIfEmpty() {
        if (hasMembers()) {
            return false;
        }
        close();
        return true;
    }

    /** Kills whatever is left and releases the scope. Idempotent; bounded. */
    @Override
    void close();
}
