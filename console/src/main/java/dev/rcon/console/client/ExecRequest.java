package dev.rcon.console.client;

import dev.rcon.common.msg.Exec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What to run, without an id: {@code command} through the remote shell, or {@code argv}
 * directly. The client assigns the id when it sends it.
 */
public record ExecRequest(String command, List<String> argv, String cwd, Map<String, String> env,
                          Duration timeout, boolean stdin) {

    public static ExecRequest shell(String command) {
        return new ExecRequest(command, null, null, null, null, false);
    }

    public ExecRequest inDirectory(String dir) {
        return new ExecRequest(command, argv, dir, env, timeout, stdin);
    }

    Exec toExec(int id) {
        return new Exec(id, command, argv, cwd, env == null || env.isEmpty() ? null : env,
                timeout == null ? null : Math.max(1, timeout.toMillis()), stdin ? Boolean.TRUE : null);
    }
}
