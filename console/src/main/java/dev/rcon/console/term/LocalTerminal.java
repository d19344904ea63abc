package dev.rcon.console.term;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.nativ.CLibrary;
import org.jline.nativ.JLineNativeLoader;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The console's own terminal (stdin) in raw mode while a remote terminal runs: every byte typed
 * goes to the remote side as is (Ctrl-C, Ctrl-Z and Ctrl-D included), and the remote output is
 * shown unchanged. Through JLine's native library rather than JLine's {@code Terminal}, whose
 * attributes do not carry the line speed: restoring through them would not give back the
 * settings found (stty -g). Closing restores them byte for byte; so does a shutdown hook when a
 * signal (TERM, HUP) ends the JVM first.
 */
final class LocalTerminal implements AutoCloseable {
    private static final int STDIN = 0;
    // Linux's termios bits (asm-generic/termbits.h), as ssh's raw mode clears them.
    private static final long IGNPAR = 0x4;
    private static final long RAW_IFLAG_OFF = 0x20 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x1000;
    private static final long OPOST = 0x1;
    private static final long RAW_LFLAG_OFF = 0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x40 | 0x8000;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final long SIGTSTP_BIT = 1L << 19;
    private static final int STOP_CHECKS = 10_000;

    private final CLibrary.Termios saved;
    private final Thread restoreAtExit = new Thread(this::restore, "rcon-terminal-restore");
    private SignalHandler previousWinch;
    private volatile Runnable resized = () -> { };
    private SignalHandler previousCont;
    private boolean closed;

    private LocalTerminal(CLibrary.Termios saved) {
        this.saved = saved;
    }

    /** Whether this console can drive its terminal: Linux, with JLine's native library loaded. */
    static boolean supported() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            return JLineNativeLoader.initialize();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Takes over the process's terminal and makes it raw. */
    static LocalTerminal open() throws IOException {
        if (!supported()) {
            throw new IOException("cannot drive the local terminal here (Linux and JLine's native library needed)");
        }
        CLibrary.Termios saved = new CLibrary.Termios();
        if (CLibrary.tcgetattr(STDIN, saved) != 0) {
            throw new IOException("stdin is not a terminal");
        }
        LocalTerminal local = new LocalTerminal(saved);
        Runtime.getRuntime().addShutdownHook(local.restoreAtExit);
        local.makeRaw();
        // A shell that stopped and continued us (kill -STOP, or SIGTTOU after bg) reset the modes,
        // and a resize meanwhile signalled the foreground group, which we were not in.
        local.previousCont = Signal.handle(new Signal("CONT"), s -> {
            local.makeRaw();
            local.resized.run();
        });
        return local;
    }

    /**
     * As ssh's raw mode: no line editing, echo, signals from keys, flow control or newline
     * translation in either direction; a read returns as soon as one byte is there.
     */
    private synchronized void makeRaw() {
        if (closed) {
            return;
        }
        CLibrary.Termios raw = copy(saved);
        raw.c_iflag = (raw.c_iflag | IGNPAR) & ~RAW_IFLAG_OFF;
        raw.c_oflag &= ~OPOST;
        raw.c_lflag &= ~RAW_LFLAG_OFF;
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        CLibrary.tcsetattr(STDIN, CLibrary.TCSADRAIN, raw);
    }

    /**
     * {@code ~^Z}: gives the terminal back as found, then stops the console as Ctrl-Z stops
     * ssh, so that the shell that started it has the terminal; raw again once continued
     * ({@code fg}). The JDK raises only signals it handles itself, so kill(1) sends SIGTSTP.
     * kill's exit can be seen before the JVM has taken the stop (1 time in 10 on a pty under
     * bash -i), which would make the terminal raw under the shell's prompt: so this waits until
     * the signal has left the process's pending set, after which this thread stops before it
     * runs on. In a process group no shell controls (orphaned) the kernel drops the signal, and
     * the session goes on at once, as ssh's does there. The SIGCONT handler makes the terminal
     * raw as well.
     */
    void suspend() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            CLibrary.tcsetattr(STDIN, CLibrary.TCSADRAIN, saved);
        }
        try {
            new ProcessBuilder("kill", "-TSTP", String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            // Bounded: the kernel delivers a pending stop at the next return to user space.
            for (int i = 0; i < STOP_CHECKS && stopPending(); i++) {
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            makeRaw();
        }
    }

    /** Whether SIGTSTP waits in the process's shared pending set (ShdPnd, bit 19 for signal 20). */
    private static boolean stopPending() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("ShdPnd:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & SIGTSTP_BIT) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No /proc: the SIGCONT handler still makes the terminal raw after fg.
        }
        return false;
    }

    /** The size now; 80 x 24 when the terminal does not know its own. */
    TerminalSize size() {
        CLibrary.WinSize size = new CLibrary.WinSize();
        if (CLibrary.ioctl(STDIN, CLibrary.TIOCGWINSZ, size) != 0) {
            return TerminalSize.DEFAULT;
        }
        return TerminalSize.of(size.ws_col, size.ws_row);
    }

    /**
     * Runs {@code action} on every change of the window's size (SIGWINCH), and when continued
     * after a stop (SIGCONT), when the size may have changed unseen; until closed.
     */
    synchronized void onResize(Runnable action) {
        resized = action;
        previousWinch = Signal.handle(new Signal("WINCH"), s -> action.run());
    }

    /** Restores the settings found at open, and the signal handlers. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        restore();
        closed = true;
        resized = () -> { };
        if (previousWinch != null) {
            Signal.handle(new Signal("WINCH"), previousWinch);
        }
        if (previousCont != null) {
            Signal.handle(new Signal("CONT"), previousCont);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook restores the terminal as well.
        }
    }

    private synchronized void restore() {
        if (!closed) {
            CLibrary.tcsetattr(STDIN, CLibrary.TCSADRAIN, saved);
        }
    }

    private static CLibrary.Termios copy(CLibrary.Termios t) {
        CLibrary.Termios c = new CLibrary.Termios();
        c.c_iflag = t.c_iflag;
        c.c_oflag = t.c_oflag;
        c.c_cflag = t.c_cflag;
        c.c_lflag = t.c_lflag;
        c.c_cc = t.c_cc.clone();
        c.c_ispeed = t.c_ispeed;
        c.c_ospeed = t.c_ospeed;
        return c;
    }
}
