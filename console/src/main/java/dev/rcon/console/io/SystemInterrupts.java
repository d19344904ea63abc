package dev.rcon.console.io;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT for the real process. The JDK's only other hook is a shutdown hook, which would end
 * the console before it could tell the agent; this lets Ctrl-C become a remote signal.
 */
enum SystemInterrupts implements ConsoleIO.Interrupts {
    INSTANCE;

    @Override
    public AutoCloseable onInterrupt(Runnable handler) {
        SignalHandler previous = Signal.handle(new Signal("INT"), s -> handler.run());
        return () -> Signal.handle(new Signal("INT"), previous);
    }
}
