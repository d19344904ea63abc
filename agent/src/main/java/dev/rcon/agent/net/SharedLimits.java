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
 * files read whole. A request that finds none is told busy, in the line {@link #reserve} gives.
 */
final class SharedLimits {
    private final AgentConfig config;
    private final Semaphore commands;
    private final Semaphore inputs;
    private final Semaphore wholeReads = new Semaphore(SourceFile.WHOLE_BUDGET);

    SharedLimits(AgentConfig config, Log log) {
        this.config = config;
        this.commands = new Semaphore(config.maxCommands());
        this.inputs = new Semaphore(config.maxInputRequests());
        warnIfInputOutgrowsHeap(config, log);
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
     * @return why the request is busy, or empty once the slots are taken
     */
    Optional<String> reserve(Message request, boolean input) {
        if (input && !inputs.tryAcquire()) {
            return Optional.of("the agent's input buffers are all held: input_buffer_mb=" + config.inputBufferMb()
                    + " lets " + config.maxInputRequests() + " requests take input (stdin, a terminal, a put) at once");
        }
        if (request.type() == MessageType.EXEC && !commands.tryAcquire()) {
            if (input) {
                inputs.release();
            }
            return Optional.of("the agent already runs max_commands=" + config.maxCommands() + " commands");
        }
        return Optional.empty();
    }

    /** Gives an input slot back the first time it runs (the channel's stdin ended, or its end); nothing if {@code held} is false. */
    Runnable inputRelease(boolean held) {
        AtomicBoolean holds = new AtomicBoolean(held);
        return () -> {
            if (holds.compareAndSet(true, false)) {
                inputs.release();
            }
        };
    }

    /** A command's slot, given back once the channel told how it ended. */
    void commandEnded() {
        commands.release();
    }

    /** The budget for pseudo files read whole ({@link SourceFile#WHOLE_BUDGET}), shared by every get. */
    Semaphore wholeReads() {
        return wholeReads;
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
