package dev.rcon.agent.exec;

import dev.rcon.common.io.Closing;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jline.nativ.CLibrary;
import org.jline.nativ.JLineLibrary;
import org.jline.nativ.JLineNativeLoader;

/**
 * One pseudo-terminal, through JLine's native library (the JDK cannot open one). The agent keeps
 * the master; the slave goes to the command as its stdin and is closed here once the command's
 * leader exited, so that reading the master ends (EIO) when the last process on the terminal
 * closed it. The ioctls take the descriptor's number, which after close may already belong to
 * another command's terminal: they run under this object's lock and only while it is open.
 */
final class PseudoTerminal implements AutoCloseable {
    /** Index of VEOF in Linux's c_cc. */
    private static final int VEOF = 4;
    private static final byte CTRL_D = 4;
    /** ICANON in Linux's c_lflag: input is edited and handed on a line at a time. */
    private static final long ICANON = 2;

    private final String name;
    private final int master;
    private final FileDescriptor masterFd;
    private final FileDescriptor slaveFd;
    private final FileInputStream masterIn;
    private final FileOutputStream masterOut;
    private final FileInputStream slave;
    private boolean slaveOpen = true;
    private boolean closed;
    /** Whether what was typed last is a line not yet ended, which one EOF character only hands on. */
    private volatile boolean lineOpen;

    private PseudoTerminal(String name, int master, int slave) {
        this.name = name;
        this.master = master;
        this.masterFd = JLineLibrary.newFileDescriptor(master);
        this.slaveFd = JLineLibrary.newFileDescriptor(slave);
        this.masterIn = new FileInputStream(masterFd);
        this.masterOut = new FileOutputStream(masterFd);
        this.slave = new FileInputStream(slaveFd);
    }

    /** Opens a new terminal of {@code cols} x {@code rows}. */
    static PseudoTerminal open(int cols, int rows) throws IOException {
        try {
            JLineNativeLoader.initialize();
            int[] master = new int[1];
            int[] slave = new int[1];
            byte[] name = new byte[64];
            if (CLibrary.openpty(master, slave, name, null, size(cols, rows)) != 0) {
                throw new IOException("openpty failed");
            }
            // The slave stays inheritable: the command takes it as its stdin.
            CloseOnExec.mark(master[0]);
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            return new PseudoTerminal(new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII),
                    master[0], slave[0]);
        } catch (RuntimeException | LinkageError e) {
            // JLine reports a missing or unloadable native library as unchecked errors.
            throw new IOException("cannot load JLine's native library: " + e.getMessage(), e);
        }
    }

    /** The slave's path, such as /dev/pts/3. */
    String name() {
        return name;
    }

    /** The slave as a child's standard stream, passed by descriptor (never reopened by path). */
    ProcessBuilder.Redirect slaveRedirect() {
        return JLineLibrary.newRedirectPipe(slaveFd);
    }

    /** What the command writes; ends with an IOException (EIO) once nothing holds the slave. */
    InputStream output() {
        return masterIn;
    }

    /** Typed bytes for the command; closing it does not close the terminal. */
    OutputStream input() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                // Not under the lock: a full terminal blocks this write until the command reads.
                // It returns EIO once the slave is closed, which happens before close() below.
                checkOpen();
                masterOut.write(b, off, len);
                if (len > 0) {
                    lineOpen = b[off + len - 1] != '\n' && b[off + len - 1] != '\r';
                }
            }
        };
    }

    private synchronized void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("terminal closed");
        }
    }

    /**
     * What a person types to end input: the terminal's EOF character (VEOF) as its command set it
     * (Ctrl-D if unreadable), twice after a line not yet ended in canonical mode, where the first
     * only hands the partial line on ({@code printf abc | rcon -t -- cat} waited for ever).
     */
    synchronized byte[] endOfInput() {
        CLibrary.Termios termios = new CLibrary.Termios();
        if (closed || CLibrary.tcgetattr(master, termios) != 0 || termios.c_cc == null || termios.c_cc.length <= VEOF) {
            return new byte[] {CTRL_D};
        }
        byte eof = termios.c_cc[VEOF];
        if (eof == 0) {
            return new byte[0];
        }
        return lineOpen && (termios.c_lflag & ICANON) != 0 ? new byte[] {eof, eof} : new byte[] {eof};
    }

    /** Sets the size; the kernel sends SIGWINCH to the terminal's foreground process group. */
    synchronized void resize(int cols, int rows) throws IOException {
        if (closed) {
            return;
        }
        if (CLibrary.ioctl(master, CLibrary.TIOCSWINSZ, size(cols, rows)) != 0) {
            throw new IOException("cannot set the size of " + name);
        }
    }

    /** Closes the agent's copy of the slave. Idempotent. */
    synchronized void closeSlave() {
        if (slaveOpen) {
            slaveOpen = false;
            Closing.quietly(slave);
        }
    }

    /** Closes both sides. Idempotent. */
    @Override
    public synchronized void close() {
        closeSlave();
        if (!closed) {
            closed = true;
            Closing.quietly(masterIn);
        }
    }

    private static CLibrary.WinSize size(int cols, int rows) {
        return new CLibrary.WinSize((short) rows, (short) cols);
    }
}
