package dev.rcon.agent.exec;

import dev.rcon.common.msg.SignalName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Signals the console sent a running command, waiting to be delivered with kill(1) on the
 * agent's one timer, which every command's timeout and KILL share. Each waits once, in the order
 * it came, and a command holds at most one task on the timer: however fast a console sends
 * signals, the timer's queue and the heap stay bounded, and other commands' timeouts do not wait
 * behind a flood (as the kernel keeps a standard signal pending once).
 */
final class SignalQueue {
    private final Consumer<Runnable> later;
    private final Consumer<SignalName> deliver;
    private final Set<SignalName> waiting = new LinkedHashSet<>();
    private boolean scheduled;

    /**
     * @param later runs its argument on the timer (or at once when the timer is gone)
     * @param deliver sends one signal to the command, on the timer
     */
    SignalQueue(Consumer<Runnable> later, Consumer<SignalName> deliver) {
        this.later = later;
        this.deliver = deliver;
    }

    /** Queues {@code signal}, unless it already waits; never blocks. */
    void offer(SignalName signal) {
        synchronized (this) {
            waiting.add(signal);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        later.accept(this::deliverWaiting);
    }

    private void deliverWaiting() {
        List<SignalName> now;
        synchronized (this) {
            now = List.copyOf(waiting);
            waiting.clear();
            scheduled = false;
        }
        now.forEach(deliver);
    }
}
