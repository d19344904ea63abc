package dev.rcon.agent.net;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.files.SourceFile;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageType;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every session of the agent draws on, reserved before a request's channel opens: a slot
 * of {@code max_commands} for a command, and one of {@code input_buffer_mb}'s W0-sized slots
 * for a request the console may send payload to (the spec lets it send W0 before any grant, and
 * the agent holds it until a command or a file takes it); and the budget gets draw on for pseudo
 * files read whole; and the sessions themselves. A request that finds none is told busy, in the
 * line {@link #reserve} gives.
 *
 * <p>Limited keys ({@link dev.rcon.agent.auth.KeyOptions#limited}) together take at most half of
 * each kind of slot: a backup or monitoring key, leaked or looping, that opens every session or
 * runs {@code sleep} in every command slot would otherwise leave the operators' own keys
 * {@code busy}, with rcon the only way in to fix it.
 */
final class SharedLimits {
    private final AgentConfig config;
    private final Pool sessions;
    private final Pool commands;
    private final Pool inputs;
    private final Semaphore wholeReads = new Semaphore(SourceFile.WHOLE_BUDGET);

    SharedLimits(AgentConfig config, Log log) {
        this.config = config;
        this.sessions = new Pool(config.maxSessions());
        this.commands = new Pool(config.maxCommands());
        this.inputs = new Pool(config.maxInputRequests());
        warnIfInputOutgrowsHeap(config, log);
    }

    /**
     * Takes a session's slot.
     *
     * @param limited whether the session's key is a limited one
     * @return why the session is busy, or empty once its slot is taken
     */
    Optional<String> admit(boolean limited) {
        return take(sessions, limited, "agent has max_sessions=" + config.maxSessions() + " sessions open", "sessions",
                "max_sessions=" + config.maxSessions());
    }

    /** A session's slot, given back once when the session ends. */
    void sessionEnded(boolean limited) {
        sessions.give(limited);
    }

    /** Whether the console may send {@code request} payload, so that it needs an input slot. */
    static boolean takesInput(Message request) {
        return switch (request.type()) {
            case EXEC -> ((Exec) request).wantsStdin();
            case PUT -> true;
            default -> false;
        };
    }

    /**
     * Takes what {@code request} needs: an input slot if {@code input}, a command slot for an
     * exec; all or nothing.
     *
     * @param limited whether the session's key is a limited one
     * @return why the request is busy, or empty once the slots are taken
     */
    Optional<String> reserve(Message request, boolean input, boolean limited) {
        if (input) {
            Optional<String> busy = take(inputs, limited, "the agent's input buffers are all held: "
                    + AgentConfig.INPUT_BUFFER_MB.key() + "=" + config.inputBufferMb() + " lets "
                    + config.maxInputRequests() + " requests take input (stdin, a terminal, a put) at once",
                    "input buffers", "the " + config.maxInputRequests() + " that input_buffer_mb="
                            + config.inputBufferMb() + " allows");
            if (busy.isPresent()) {
                return busy;
            }
        }
        if (request.type() == MessageType.EXEC) {
            Optional<String> busy = take(commands, limited, "the agent already runs max_commands="
                    + config.maxCommands() + " commands", "commands", "max_commands=" + config.maxCommands());
            if (busy.isPresent()) {
                if (input) {
                    inputs.give(limited);
                }
                return busy;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> take(Pool pool, boolean limited, String full, String what, String of) {
        if (limited && !pool.limited.tryAcquire()) {
            return Optional.of(limitedBusy(pool, what, of));
        }
        if (!pool.all.tryAcquire()) {
            pool.giveLimited(limited);
            return Optional.of(full);
        }
        return Optional.empty();
    }

    private static String limitedBusy(Pool pool, String what, String of) {
        return "limited keys (command=, user=, no-files, no-pty) already hold " + pool.limitedSize + " " + what
                + ", their share of " + of + "; the rest are kept for full keys";
    }

    /** Gives an input slot back the first time it runs (the channel's stdin ended, or its end); nothing if {@code held} is false. */
    Runnable inputRelease(boolean held, boolean limited) {
        AtomicBoolean holds = new AtomicBoolean(held);
        return () -> {
            if (holds.compareAndSet(true, false)) {
                inputs.give(limited);
            }
        };
    }

    /** A command's slot, given back once the channel told how it ended. */
    void commandEnded(boolean limited) {
        commands.give(limited);
    }

    /** The budget for pseudo files read whole ({@link SourceFile#WHOLE_BUDGET}), shared by every get. */
    Semaphore wholeReads() {
        return wholeReads;
    }

    /** Slots of one kind: all of them, and the half (at least one) that limited keys may take. */
    private static final class Pool {
        final Semaphore all;
        final Semaphore limited;
        final int limitedSize;

        Pool(int size) {
            this.all = new Semaphore(size);
            this.limitedSize = Math.max(1, size / 2);
            this.limited = new Semaphore(limitedSize);
        }

        void give(boolean byLimited) {
            all.release();
            giveLimited(byLimited);
        }

        void giveLimited(boolean byLimited) {
            if (byLimited) {
                limited.release();
            }
        }
    }

    /** A setting that lets queued input fill the heap would trade a busy reply for the agent's end. */
    private static void warnIfInputOutgrowsHeap(AgentConfig config, Log log) {
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        if (config.inputBufferMb() > heapMb * 3 / 4) {
            log.warn(AgentConfig.INPUT_BUFFER_MB.key() + "=" + config.inputBufferMb()
                    + " is more than three quarters of the heap's " + heapMb
                    + " MiB: consoles that fill their windows could exhaust it");
        }
    }
}
