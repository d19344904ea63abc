package dev.rcon.agent;

import sun.misc.Signal;

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

    static void onReload(Runnable action) {
        Signal.handle(new Signal("HUP"), s -> action.run());
    }
}
