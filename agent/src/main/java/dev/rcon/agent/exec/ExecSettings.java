package dev.rcon.agent.exec;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What every command of an agent shares.
 *
 * @param launcher how processes start
 * @param scopes makes the cgroup or process group each command runs in
 * @param timer runs timeouts, signals and the KILL after a TERM; never the session's reader
 * @param killGrace time between TERM and KILL
 * @param defaultTimeout for commands that set none; zero for none
 */
public record ExecSettings(Launcher launcher, CommandScopes scopes, ScheduledExecutorService timer, Duration killGrace,
                           Duration defaultTimeout) {
    /**
     * Runs {@code action} on the timer after {@code ms}; once the agent has shut its timer down
     * (a session still closing after the agent), at once on this thread instead.
     *
     * @return the scheduled action, or null when it already ran
     */
    ScheduledFuture<?> later(Runnable action, long ms) {
        try {
            return timer.schedule(action, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            action.run();
            return null;
        }
    }

    /** Cancels what {@link #later} scheduled, if anything; a running action finishes. */
    static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
