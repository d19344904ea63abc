package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.SignalName;

/**
 * A command contained by its process group only: the process {@code setsid} made a group leader
 * and everything it forks that stays in the group. A process that calls {@code setsid} itself
 * leaves it, and nothing here can reach it; that is what {@link CgroupScope} is for. A command
 * on a terminal is its session's leader, and each job its shell starts leads a group of its own
 * in that session: for it, every group of the session is reached.
 */
final class ProcessGroupScope implements CommandScope {
    /** A terminal's command: its jobs each lead a group of their own in the command's session. */
    private final boolean wholeSession;
    private volatile long pgid;
    /** Once closed, the group's number may go to a stranger: nothing is sent to it any more. */
    private volatile boolean closed;

    /** @param wholeSession reach every group of the command's session, not its first group only */
    ProcessGroupScope(boolean wholeSession) {
        this.wholeSession = wholeSession;
    }

    @Override
    public void started(Process process, boolean inCommandShell) {
        pgid = process.pid();
    }

    @Override
    public void signal(int number) {
        if (!closed && wholeSession) {
            ProcessGroups.signalSession(pgid, number);
        } else if (!closed) {
            ProcessGroups.signal(pgid, number);
        }
    }

    @Override
    public boolean hasMembers() {
        return !closed && pgid > 1
                && (wholeSession ? ProcessGroups.sessionHasMembers(pgid) : ProcessGroups.hasMembers(pgid));
    }

    @Override
    public void killAll() {
        if (hasMembers()) {
            signal(SignalName.KILL.number());
        }
    }

    /** An empty group disappears by itself: there is nothing to release but the number. */
    @Override
    public void close() {
        if (!closed) {
            killAll();
            closed = true;
        }
    }
}
