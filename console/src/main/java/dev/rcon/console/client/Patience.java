package dev.rcon.console.client;

import dev.rcon.common.msg.Exit;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Waiting for one command's end as an operator at a terminal would, and no longer: the agent
 * enforces {@code --timeout}, but a wedged or compromised one may not, so a host that has not
 * reported the end {@link RemoteCommand#GIVE_UP_AFTER_TIMEOUT} past it (in its own time, see
 * {@link RemoteCommand#hostTime}) is given up on; Ctrl-C sends INT, then KILL, and the
 * {@link RemoteCommand#GIVE_UP_INTERRUPT}th gives up on the host at once. For one command on one
 * host (a one-shot, the line shell); a fleet run gives up on its hosts in its own way.
 */
public final class Patience {
    /**
     * How the wait ended: the command's exit, or why the console gave up on the host.
     *
     * @param gaveUp one line, starting with the host, when there is no exit
     * @param atCtrlC whether Ctrl-C gave up, rather than the timeout
     */
    public record End(Exit exit, String gaveUp, boolean atCtrlC) {
    }

    /**
     * Ctrl-C listened for from before a command is sent, so that one typed as its first output
     * shows reaches it (the handler there before ignored it, or ended the console without a word
     * to the agent); one that comes before the command's patience exists goes to it once it does.
     */
    public static final class Listening implements AutoCloseable {
        private final CompletableFuture<Patience> patience = new CompletableFuture<>();
        private final AutoCloseable handler;

        /** @param onInterrupt installs a SIGINT handler until the handle it returns is closed */
        public Listening(Function<Runnable, AutoCloseable> onInterrupt) {
            handler = onInterrupt.apply(() -> patience.thenAccept(Patience::interrupt));
        }

        /** From now on each Ctrl-C goes to {@code started}, and those before it did too; returns it. */
        public Patience started(Patience started) {
            patience.complete(started);
            return started;
        }

        @Override
        public void close() throws Exception {
            handler.close();
        }
    }

    private final RconClient client;
    private final RemoteCommand command;
    private final Duration timeout;
    private final AtomicInteger interrupts = new AtomicInteger();

    /** @param timeout the command's {@code --timeout}, or null for none */
    public Patience(RconClient client, RemoteCommand command, Duration timeout) {
        this.client = client;
        this.command = command;
        this.timeout = timeout;
    }

    /** Ctrl-C: INT, then KILL, then the session is given up on. Never blocks. */
    public void interrupt() {
        int n = interrupts.incrementAndGet();
        if (n >= RemoteCommand.GIVE_UP_INTERRUPT) {
            client.abandon();
        } else {
            command.interrupt(n);
        }
    }

    /** How many times Ctrl-C came. */
    public int interrupts() {
        return interrupts.get();
    }

    /**
     * The command's exit, or the console's giving up on the host.
     *
     * @throws IOException how the session ended under the command, when the console did not end it
     */
    public End await() throws IOException, InterruptedException {
        Exit exit;
        try {
            exit = timeout == null ? command.await() : command.awaitHost(timeout.plus(RemoteCommand.GIVE_UP_AFTER_TIMEOUT));
        } catch (IOException e) {
            if (interrupts.get() < RemoteCommand.GIVE_UP_INTERRUPT) {
                throw e;
            }
            return new End(null, client.target() + ": gave up waiting for the command's end at Ctrl-C "
                    + RemoteCommand.GIVE_UP_INTERRUPT, true);
        }
        if (exit != null) {
            return new End(exit, null, false);
        }
        client.abandon();
        return new End(null, client.target() + ": no exit " + Durations.format(RemoteCommand.GIVE_UP_AFTER_TIMEOUT)
                + " after the " + Durations.format(timeout) + " timeout; gave up on the host", false);
    }
}
