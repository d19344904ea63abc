package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import java.util.List;
import java.util.Map;

/**
 * What holds every process of one command, whatever they do to leave it: a cgroup of its own
 * ({@link CgroupScope}) or, where the agent cannot make one, the process group that
 * {@code setsid} gives the command ({@link ProcessGroupScope}). Signals, the KILL at the end and
 * the question "is anything left?" all go through the scope.
 *
 * <p>Life cycle: {@link CommandScopes#open} makes one; the spawner puts {@link #prefix} before
 * the command's argv, starts the process and calls {@link #started} before anything else;
 * {@link #close} ends whatever is left and releases the scope.
 */
public interface CommandScope extends AutoCloseable {

    /**
     * Words to run before the command's own argv so that the process is inside the scope before
     * the command's first instruction. Empty when nothing is needed.
     *
     * @param environment the environment the process will be started with
     */
    List<String> prefix(Map<String, String> environment);

    /**
     * env(1) arguments ({@code -u NAME} options, {@code --}, then {@code NAME=VALUE}) that give
     * back what the prefix changed in the environment on its way; the spawner puts them into the
     * one env(1) that runs just before the command, and adds its own assignments after them.
     * Empty when the prefix changes nothing.
     */
    default List<String> environmentFix(Map<String, String> environment) {
        return List.of();
    }

    /**
     * Binds the scope to the process just started with {@link #prefix}, and confirms the process
     * is inside it.
     *
     * @throws RequestException {@code spawn_failed} when it is not: the command never ran, and the
     *     caller ends the process and closes the scope
     */
    void started(Process process) throws RequestException;

    /** Sends signal {@code number} to every process of the command. */
    void signal(int number);

    /** True while some process of the command is still alive. */
    boolean hasMembers();

    /** Sends KILL to every process of the command, including any that left its process group. */
    void killAll();

    /** Kills whatever is left and releases the scope. Idempotent; bounded. */
    @Override
    void close();
}
