package dev.rcon.agent.exec;

import dev.rcon.common.io.Closing;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;

/**
 * A command's pipes, taken out of the JDK's {@code Process} streams as the spawn returns, so that
 * they are the agent's alone.
 *
 * <p>At the leader's exit the JDK's reaper drains what each of its pipe streams holds and closes
 * it, under the stream's monitor: a background job's later output was lost, and the one way to
 * keep it, a read that held the monitor until the job let go, held the reaper there too, and with
 * it the JDK's record of the leader's exit under its PID. A process started later under that PID
 * was taken for the leader: reported ended at once with the leader's status, its output unread
 * ({@code PidReuseTest}). An input stream whose pipe was taken is closed as far as the JDK knows
 * (its {@code in} is null), stdin's writes to an empty stream, so the reaper finds nothing to wait
 * for and goes on at once.
 *
 * <p>Needs {@code java.io} open to the agent ({@code Add-Opens} in its jar's manifest;
 * {@code --add-opens java.base/java.io=ALL-UNNAMED} on a class path).
 */
record ProcessPipes(OutputStream stdin, InputStream stdout, InputStream stderr) implements AutoCloseable {
    static final String NEEDS_OPEN = "the agent needs java.io open to it to own its commands' pipes: run its jar"
            + " (its manifest has Add-Opens), or add --add-opens java.base/java.io=ALL-UNNAMED";
    private static final Field IN = field(FilterInputStream.class, "in");
    private static final Field OUT = field(FilterOutputStream.class, "out");

    /** Fails at once, with {@link #NEEDS_OPEN}, where the pipes could not be taken. */
    static void requireAccess() {
        if (IN == null || OUT == null) {
            throw new IllegalStateException(NEEDS_OPEN);
        }
    }

    /** Takes the pipes of a process just started; those redirected elsewhere stay the JDK's empty streams. */
    static ProcessPipes take(Process process) {
        requireAccess();
        return new ProcessPipes(take(process.getOutputStream()), take(process.getInputStream()),
                take(process.getErrorStream()));
    }

    private static InputStream take(InputStream jdk) {
        if (!(jdk instanceof FilterInputStream)) {
            return jdk;
        }
        // The reaper's drain holds the same monitor: it ran before (what it drained is what is
        // left to read, in place of the pipe) or finds the stream closed after.
        synchronized (jdk) {
            InputStream pipe = (InputStream) get(IN, jdk);
            set(IN, jdk, null);
            markCloseOnExec(pipe);
            return pipe != null ? new PipeInput(pipe) : InputStream.nullInputStream();
        }
    }

    /**
     * Reads only: JDK 17's FileInputStream answers {@code readAllBytes} and {@code readNBytes} by
     * asking a file's length and position, which fails on a pipe ("Illegal seek"); InputStream's
     * own ones loop on {@code read}.
     */
    private static final class PipeInput extends InputStream {
        private final InputStream pipe;

        PipeInput(InputStream pipe) {
            this.pipe = pipe;
        }

        @Override
        public int read() throws IOException {
            return pipe.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return pipe.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return pipe.available();
        }

        @Override
        public void close() throws IOException {
            pipe.close();
        }
    }

    private static OutputStream take(OutputStream jdk) {
        if (!(jdk instanceof FilterOutputStream)) {
            return jdk;
        }
        // Not null: Process.destroy closes the JDK's stdin stream, and FilterOutputStream.close
        // flushes and closes its out whatever it is (a null threw NullPointerException out of
        // destroyForcibly, before the agent let go of the pipes). The reaper's processExited
        // closes this empty stream instead of the pipe, at once.
        synchronized (jdk) {
            OutputStream pipe = (OutputStream) get(OUT, jdk);
            set(OUT, jdk, OutputStream.nullOutputStream());
            markCloseOnExec(pipe);
            return pipe != null ? pipe : OutputStream.nullOutputStream();
        }
    }

    /** The agent's end of a pipe is its alone from here on: no command needs it (CloseOnExec). */
    private static void markCloseOnExec(Object pipe) {
        try {
            if (pipe instanceof FileInputStream in) {
                CloseOnExec.mark(in.getFD());
            } else if (pipe instanceof FileOutputStream out) {
                CloseOnExec.mark(out.getFD());
            }
        } catch (IOException e) {
            // No descriptor (closed): nothing to mark.
        }
    }

    /** Closes all three, quietly: for a process that must not run. */
    @Override
    public void close() {
        Closing.quietly(stdin);
        Closing.quietly(stdout);
        Closing.quietly(stderr);
    }

    /** {@code owner}'s field {@code name}, made accessible; null where it is not there or not opened to the agent. */
    static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object get(Field field, Object stream) {
        try {
            return field.get(stream);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(NEEDS_OPEN, e);
        }
    }

    private static void set(Field field, Object stream, Object value) {
        try {
            field.set(stream, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(NEEDS_OPEN, e);
        }
    }
}
