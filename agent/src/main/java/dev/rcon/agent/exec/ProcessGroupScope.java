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
    private volatile Process leader;
    private volatile long pgid;
    /** The start time of the process that leads the group, to tell it from a stranger given its number. */
    private volatile long leaderStart = -1;
    /** Once closed, the group's number may go to a stranger: nothing is sent to it any more. */
    private volatile boolean closed;
    /** Seen empty once: a group never fills again, so the number is no longer ours. */
    private volatile boolean emptied;

    /** @param wholeSession reach every group of the command's session, not its first group only */
    ProcessGroupScope(boolean wholeSession) {
        this.wholeSession = wholeSession;
    }

    @Override
    public void started(Process process, ProcessPipes pipes, boolean inCommandShell) {
        leader = process;
        pgid = process.pid();
        leaderStart = ProcessGroups.startTime(pgid);
    }

    @Override
    public void signal(int number) {
        if (!ours()) {
            return;
        }
        if (wholeSession) {
            ProcessGroups.signalSession(pgid, number);
        } else {
            ProcessGroups.signal(pgid, number);
        }
    }

    @Override
    public boolean hasMembers() {
        if (!ours()) {
            return false;
        }
        boolean members = wholeSession ? ProcessGroups.sessionHasMembers(pgid) : ProcessGroups.hasMembers(pgid);
        // While the leader lives the group is still to come (setsid may not have run yet) or is there.
        if (!members && !leader.isAlive()) {
            emptied = true;
        }
        return members;
    }

    /**
     * Whether the group (or session) of our number can still be the command's. The kernel hands
     * out no PID while a group or session of that number has members, so a process other than our
     * leader under that PID proves ours emptied and the number went to a stranger (another
     * console's command, a service), whom a KILL at the session's end would have hit; so does any
     * process under it when the leader was gone before its start time could be read. Not caught:
     * a stranger's group whose own leader is gone too, before the next look.
     */
    private boolean ours() {
        if (closed || emptied || pgid <= 1) {
            return false;
        }
        long start = ProcessGroups.startTime(pgid);
        if (start >= 0 && start != leaderStart) {
            emptied = true;
        }
        return !emptied;
    }

    @Override
    public void killAll() {
        if (hasMembers()) {
            signal(SignalName.KILL.number());
        } else if (!closed && leader != null && leader.isAlive()) {
            // No group yet (its setsid has not run, on a host slow enough): the leader is our own
            // child, not reaped, so its PID cannot be anyone else's.
            leader.destroyForcibly();
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
