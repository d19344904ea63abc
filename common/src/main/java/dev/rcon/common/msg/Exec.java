package dev.rcon.common.msg;

import java.util.List;
import java.util.Map;

/**
 * Console to agent: run a command. Exactly one of {@code command} (run by {@code /bin/sh -c})
 * and {@code argv} (run directly, no shell); with {@code pty}, on a terminal of its own.
 */
public record Exec(Integer id, String command, List<String> argv, String cwd,
                   Map<String, String> env, Long timeoutMs, Boolean stdin, Pty pty) implements Message {

    public Exec {
        Message.checkId(id);
        if ((command == null) == (argv == null)) {
            throw new IllegalArgumentException("exec needs exactly one of 'command' and 'argv'");
        }
        if (command != null && command.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("command holds a NUL byte, which no program's argument can");
        }
        if (argv != null) {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must name a program");
            }
            argv = List.copyOf(argv);
            for (int i = 0; i < argv.size(); i++) {
                if (argv.get(i).indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("argv[" + i + "] holds a NUL byte, which no program's argument can");
                }
            }
        }
        if (cwd != null) {
            checkAbsolute("cwd", cwd);
        }
        if (env != null) {
            env.forEach((k, v) -> {
                if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0 || v == null) {
                    throw new IllegalArgumentException("env name '" + k + "' is not a valid variable");
                }
                if (v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("env " + k + " holds a NUL byte, which no variable's value can");
                }
            });
            env = Map.copyOf(env);
        }
        if (timeoutMs != null && timeoutMs <= 0) {
            throw new IllegalArgumentException("timeout_ms must be positive but was " + timeoutMs);
        }
    }

    /** A command on pipes. */
    public Exec(Integer id, String command, List<String> argv, String cwd, Map<String, String> env, Long timeoutMs,
                Boolean stdin) {
        this(id, command, argv, cwd, env, timeoutMs, stdin, null);
    }

    /** A shell command with no options. */
    public static Exec shell(int id, String command) {
        return new Exec(id, command, null, null, null, null, null);
    }

    /** This request with {@code extra} added to its environment, over what the console asked for. */
    public Exec withEnv(Map<String, String> extra) {
        Map<String, String> merged = new java.util.HashMap<>(env == null ? Map.of() : env);
        merged.putAll(extra);
        return new Exec(id, command, argv, cwd, merged, timeoutMs, stdin, pty);
    }

    /** A terminal's input is always the console's keyboard, so a pty implies stdin. */
    public boolean wantsStdin() {
        return Boolean.TRUE.equals(stdin) || pty != null;
    }

    @Override
    public MessageType type() {
        return MessageType.EXEC;
    }

    @Override
    public Integer requestId() {
        return id;
    }

    static void checkAbsolute(String field, String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must be an absolute path but was '" + path + "'");
        }
    }
}
