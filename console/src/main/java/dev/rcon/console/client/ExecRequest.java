package dev.rcon.console.client;

import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Pty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to run, without an id: {@code command} through the remote shell, or {@code argv}
 * directly; with {@code pty}, on a remote terminal of that name and size. The client assigns
 * the id when it sends it.
 */
public record ExecRequest(String command, List<String> argv, String cwd, Map<String, String> env,
                          Duration timeout, boolean stdin, Pty pty) {

    /** On pipes. */
    public ExecRequest(String command, List<String> argv, String cwd, Map<String, String> env, Duration timeout,
                       boolean stdin) {
        this(command, argv, cwd, env, timeout, stdin, null);
    }

    public static ExecRequest shell(String command) {
        return new ExecRequest(command, null, null, null, null, false);
    }

    public ExecRequest inDirectory(String dir) {
        return new ExecRequest(command, argv, dir, env, timeout, stdin, pty);
    }

    /** The same request on a remote terminal (whose input is always the console's). */
    public ExecRequest onTerminal(Pty terminal) {
        return new ExecRequest(command, argv, cwd, env, timeout, true, terminal);
    }

    Exec toExec(int id) {
        return new Exec(id, command, argv, cwd, env == null || env.isEmpty() ? null : env,
                timeout == null ? null : Math.max(1, timeout.toMillis()), stdin && pty == null ? Boolean.TRUE : null,
                pty);
    }
}
