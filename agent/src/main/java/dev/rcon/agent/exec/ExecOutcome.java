package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exit;

/**
 * What the session learns of a command, from its {@link ExecChannel}'s threads: {@link #started}
 * and then {@link #finished}, or one of {@link #refused} and {@link #failed}.
 */
public interface ExecOutcome {
    /** The process started; called before {@code started} goes out. */
    void started();

    /** The command did not start; the channel then ends with the error. */
    void refused(RequestException e);

    /** A bug of the agent's while starting or beginning it (a process that started is killed); the channel then ends with {@code internal}. */
    void failed(RuntimeException e);

    /** The command ended; called once with the exit, just before it is sent. */
    void finished(Exit exit);
}
