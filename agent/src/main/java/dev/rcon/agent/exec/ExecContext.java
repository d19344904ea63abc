package dev.rcon.agent.exec;

import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What an {@link Execution} needs from the session that owns it.
 *
 * @param name prefix for thread names, e.g. {@code exec-474c43ae-7}
 * @param sink sends a message to the console (the session's synchronized writer)
 * @param timer runs timeouts and the KILL after a TERM
 * @param killGrace time between TERM and KILL
 * @param defaultTimeout for commands that set none; zero for none
 * @param onFinished called once, just before {@code exit} is sent
 * @param scopes makes the cgroup or process group each command runs in
 */
public record ExecContext(String name, Sink sink, ScheduledExecutorService timer, Duration killGrace,
                          Duration defaultTimeout, Consumer<Exit> onFinished, CommandScopes scopes) {

    /** Where an execution's messages go. */
    @FunctionalInterface
    public interface Sink {
        void send(Message message) throws IOException;
    }
}
