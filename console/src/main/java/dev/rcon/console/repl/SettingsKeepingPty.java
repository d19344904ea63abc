package dev.rcon.console.repl;

import java.io.FileDescriptor;
import java.io.IOException;
import java.util.EnumSet;
import org.jline.nativ.CLibrary;
import org.jline.nativ.JLineNativeLoader;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.PosixSysTerminal;
import org.jline.terminal.impl.jni.JniTerminalProvider;
import org.jline.terminal.impl.jni.linux.LinuxNativePty;
import org.jline.terminal.spi.SystemStream;

/**
 * The line shell's terminal through JLine's native library, changing only the settings JLine
 * knows. JLine's exec provider ran stty for every change of mode, twice per prompt, as a child
 * in the terminal's foreground process group: a Ctrl-C typed then (a burst at the prompt, or one
 * as a command ended) killed that stty or interrupted JLine's wait for it, and the console died
 * with a stack trace, the terminal left raw. JLine's own native pty writes a termios built from
 * its flags alone, with the speed bits cleared (B0, which hangs up a serial line:
 * jline/jline3#2170): so each write here starts from the terminal's current termios and replaces
 * only the bits and control characters JLine models.
 */
final class SettingsKeepingPty extends LinuxNativePty {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    /** Every flag and control character JLine models, set: what its termios may change. */
    private final CLibrary.Termios modelled;

    private SettingsKeepingPty(SystemStream stream, int out, FileDescriptor outFd) throws IOException {
        super(new JniTerminalProvider(), stream, -1, null, STDIN, FileDescriptor.in, out, outFd, ttyname(out));
        this.modelled = super.toTermios(everything());
    }

    /**
     * Whether this console can use it: Linux, with JLine's native library loaded, and stdout or
     * stderr a terminal to draw on (without one JLine's builder falls back to a dumb terminal).
     */
    static boolean supported() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            return JLineNativeLoader.initialize() && (CLibrary.isatty(STDOUT) == 1 || CLibrary.isatty(STDERR) == 1);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * The system terminal (stdin, and stdout or, when that is not a terminal, stderr) with JLine's
     * signal handling, as TerminalBuilder would build it with the native provider.
     */
    static Terminal systemTerminal(String name) throws IOException {
        boolean toStdout = CLibrary.isatty(STDOUT) == 1;
        SettingsKeepingPty pty = toStdout ? new SettingsKeepingPty(SystemStream.Output, STDOUT, FileDescriptor.out)
                : new SettingsKeepingPty(SystemStream.Error, STDERR, FileDescriptor.err);
        TerminalBuilder defaults = TerminalBuilder.builder();
        return new PosixSysTerminal(name, defaults.computeType(), pty, defaults.computeEncoding(), true,
                Terminal.SignalHandler.SIG_IGN) {
            @Override
            public Attributes enterRawMode() {
                return keysInOrder(this);
            }
        };
    }

    /**
     * JLine's raw mode (its prompt's), with ISIG off too: Ctrl-C, Ctrl-\ and Ctrl-Z at the prompt
     * are keys, read in their order among the others (the line shell binds Ctrl-C to drop the
     * line). As signals, the kernel discarded every key not yet read (an Enter typed just before,
     * and the line was never run), and JLine took the signal some time later, in the middle of
     * whatever was typed after it: the next line ran cut in two.
     */
    private static Attributes keysInOrder(Terminal terminal) {
        Attributes original = terminal.getAttributes();
        Attributes raw = new Attributes(original);
        raw.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO,
                Attributes.LocalFlag.IEXTEN, Attributes.LocalFlag.ISIG), false);
        raw.setInputFlags(EnumSet.of(Attributes.InputFlag.IXON, Attributes.InputFlag.ICRNL,
                Attributes.InputFlag.INLCR), false);
        raw.setControlChar(Attributes.ControlChar.VMIN, 0);
        raw.setControlChar(Attributes.ControlChar.VTIME, 1);
        terminal.setAttributes(raw);
        return original;
    }

    /**
     * A terminal nobody sized (0 columns or rows, as some harnesses make a pty) is edited as
     * 80x24, the size most programs assume then: JLine drew its prompt in 0 columns as dots and
     * echoed nothing typed. The terminal itself keeps its size.
     */
    @Override
    public Size getSize() throws IOException {
        Size size = super.getSize();
        if (size.getColumns() > 0 && size.getRows() > 0) {
            return size;
        }
        return new Size(size.getColumns() > 0 ? size.getColumns() : 80, size.getRows() > 0 ? size.getRows() : 24);
    }

    @Override
    protected CLibrary.Termios toTermios(Attributes attributes) {
        CLibrary.Termios wanted = super.toTermios(attributes);
        CLibrary.Termios result = new CLibrary.Termios();
        if (CLibrary.tcgetattr(getSlave(), result) != 0) {
            return wanted;
        }
        result.c_iflag = merge(result.c_iflag, wanted.c_iflag, modelled.c_iflag);
        result.c_oflag = merge(result.c_oflag, wanted.c_oflag, modelled.c_oflag);
        result.c_cflag = merge(result.c_cflag, wanted.c_cflag, modelled.c_cflag);
        result.c_lflag = merge(result.c_lflag, wanted.c_lflag, modelled.c_lflag);
        for (int i = 0; i < result.c_cc.length; i++) {
            if (modelled.c_cc[i] != 0) {
                result.c_cc[i] = wanted.c_cc[i];
            }
        }
        return result;
    }

    private static long merge(long current, long wanted, long mask) {
        return current & ~mask | wanted & mask;
    }

    private static Attributes everything() {
        Attributes all = new Attributes();
        all.setInputFlags(EnumSet.allOf(Attributes.InputFlag.class), true);
        all.setOutputFlags(EnumSet.allOf(Attributes.OutputFlag.class), true);
        all.setControlFlags(EnumSet.allOf(Attributes.ControlFlag.class), true);
        all.setLocalFlags(EnumSet.allOf(Attributes.LocalFlag.class), true);
        for (Attributes.ControlChar c : Attributes.ControlChar.values()) {
            all.setControlChar(c, 1);
        }
        return all;
    }
}
