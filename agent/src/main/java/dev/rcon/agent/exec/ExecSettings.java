package dev.rcon.agent.exec;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

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
}
