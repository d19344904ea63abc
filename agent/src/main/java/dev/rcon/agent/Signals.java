package dev.rcon.agent;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Unix signals for the daemon. The JDK's only hook for TERM is a shutdown hook, after which the
 * JVM exits 143 and systemd records a failure; handling TERM here lets the agent stop cleanly
 * and exit 0. HUP is the conventional "reload" ({@code systemctl reload}).
 */
final class Signals {
    private Signals() {
    }

    static void onTerminate(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }

    /**
     * @return false if HUP was ignored when the JVM started ({@code nohup}): the JVM then keeps
     *     it ignored and never runs {@code action}, so the caller should say so
     */
    static boolean onReload(Runnable action) {
        return Signal.handle(new Signal("HUP"), s -> action.run()) != SignalHandler.SIG_IGN;
    }
}
