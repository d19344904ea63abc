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

    /**
     * This request, if an agent could take it; said before any host is called. A --env or a
     * command too long for a record's header, or a bad --env name, failed on each host in turn
     * (a fleet run: one error per host, exit 2, though nothing could run) and in the wire's words
     * ("header of 120073 bytes exceeds the limit of 16384").
     */
    public ExecRequest checked() {
        int bytes = dev.rcon.common.msg.MessageCodec.shared().encode(toExec(Integer.MAX_VALUE)).length;
        if (bytes > dev.rcon.common.wire.Limits.MAX_HEADER) {
            throw new IllegalArgumentException("the command, --cwd and --env are too long: a request holds at most "
                    + dev.rcon.common.wire.Limits.MAX_HEADER + " bytes and this one needs " + bytes);
        }
        return this;
    }

    Exec toExec(int id) {
        return new Exec(id, command, argv, cwd, env == null || env.isEmpty() ? null : env,
                timeout == null ? null : Math.max(1, timeout.toMillis()), stdin && pty == null ? Boolean.TRUE : null,
                pty);
    }
}
