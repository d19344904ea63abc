package dev.rcon.agent.exec;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A started process whose stdout and stderr are read through read ends of the agent's own,
 * opened on the same pipes through {@code /proc/PID/fd} while the process still runs, the
 * JDK's own closed. At the leader's exit the JDK's reaper drains a pipe it still reads and
 * closes it: a background job's later output (`(sleep 1; echo late) & echo early`) then met a
 * pipe with no reader, and the job died of SIGPIPE unless an output pump already held the
 * stream's monitor, which a leader that exits within a millisecond of its start (a cgroup's
 * join marker read, then the agent's thread not yet scheduled) beat in about a third of runs.
 * The reaper never learns of these ends, so a pipe is read to its real end.
 */
final class OwnPipes extends ForwardingProcess {
    private final InputStream stdout;
    private final InputStream stderr;
    /**
     * Asked for while the process runs: once the JDK's reaper is done with it, JDK 17 watches the
     * pid anew, and a pid another process has taken since kept the command "running" until that
     * process ended (seen in a pid namespace).
     */
    private final CompletableFuture<Process> exited;

    private OwnPipes(Process process, InputStream stdout, InputStream stderr) {
        super(process);
        this.stdout = stdout;
        this.stderr = stderr;
        this.exited = process.onExit().thenApply(p -> this);
    }

    /**
     * {@code process} with its output pipes reopened, or as it is when they cannot be: a process
     * that already exited (its output is in the JDK's streams, drained at its exit), or output
     * that is not on pipes.
     */
    static Process of(Process process) {
        InputStream jdkOut = process.getInputStream();
        InputStream jdkErr = process.getErrorStream();
        // The reaper drains a stream under its monitor once the process is reaped: held here, it
        // cannot take output the process wrote before it exited from between the reopen and the
        // close (a lost "hello" in 1 of 1000 `echo hello`). Once reaped, the /proc entry is gone
        // (or names another process: checked below), so the JDK's streams are used as they are.
        synchronized (jdkOut) {
            synchronized (jdkErr) {
                InputStream out = null;
                InputStream err = null;
                try {
                    out = reopen(process, 1);
                    err = reopen(process, 2);
                    // Checked after the opens: the process still there then was there at both. A leader
                    // that exited and was reaped left its pid free; a process that took it since (another
                    // user's, its own pipes on fd 1 and 2) had its output read as the command's (on a real
                    // agent in a pid namespace: its stderr became the spawn refusal's text) and the command's lost.
                    if (!isStillTheChild(process)) {
                        throw new IOException("pid " + process.pid() + " no longer names the command");
                    }
                    jdkOut.close();
                    jdkErr.close();
                    return new OwnPipes(process, out, err);
                } catch (IOException e) {
                    closeQuietly(out);
                    closeQuietly(err);
                    return process;
                }
            }
        }
    }

    /**
     * Whether {@code process}'s pid still names the process started (its start time is the one
     * the JDK noted at the start, before its reaper could free the pid); a zombie still does.
     */
    private static boolean isStillTheChild(Process process) {
        return process.toHandle().isAlive();
    }

    /** A new read end of the pipe on {@code fd} of {@code process} (Linux opens a pipe's /proc link as a FIFO). */
    private static InputStream reopen(Process process, int fd) throws IOException {
        String link = "/proc/" + process.pid() + "/fd/" + fd;
        // Also before: a pid already taken by another process is never opened (its fd 1 could be a FIFO).
        if (!isStillTheChild(process)) {
            throw new IOException("pid " + process.pid() + " no longer names the command");
        }
        if (!java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of(link)).toString().startsWith("pipe:")) {
            throw new IOException(link + " is not a pipe");
        }
        // Buffered as the JDK's own: JDK 17's FileInputStream.readAllBytes seeks, which a pipe refuses.
        return new BufferedInputStream(new FileInputStream(link));
    }

    private static void closeQuietly(InputStream in) {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            // Given up on anyway.
        }
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exited;
    }
}
