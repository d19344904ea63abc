package dev.rcon.agent.exec;

import java.util.List;
import java.util.Map;

/**
 * The account a command runs as: the agent's own ({@link #AGENT}), or a user named by a key's
 * {@code user=} option, whose uid, gids and home the command gets and nothing else of root's.
 * setpriv(1) drops the identity after everything that needs root (the cgroup, the terminal) is
 * in place, and before the request's program runs.
 *
 * @param name the user's name, or null for the agent's own account
 * @param uid the user's uid
 * @param gid the user's primary gid; supplementary groups come from the group database
 * @param home the user's home: HOME, and the working directory when the request names none
 * @param shell the user's login shell, for SHELL
 */
public record RunAs(String name, int uid, int gid, String home, String shell) {
    public static final RunAs AGENT = new RunAs(null, -1, -1, null, null);
    static final String SETPRIV = "/usr/bin/setpriv";

    public RunAs {
        if (name != null && (uid < 0 || gid < 0 || home == null || !home.startsWith("/"))) {
            throw new IllegalArgumentException("user " + name + ": needs a uid, a gid and an absolute home");
        }
    }

    /** Whether the command keeps the agent's identity. */
    public boolean isAgent() {
        return name == null;
    }

    /** The words that drop to this account and exec the rest of argv; none for the agent's own. */
    List<String> prefix() {
        if (isAgent()) {
            return List.of();
        }
        return List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--");
    }

    /** What a login as this user would set; empty for the agent's own account. */
    Map<String, String> environment() {
        if (isAgent()) {
            return Map.of();
        }
        return Map.of("HOME", home, "USER", name, "LOGNAME", name, "SHELL", shell == null || shell.isEmpty()
                ? "/bin/sh" : shell);
    }

    @Override
    public String toString() {
        return isAgent() ? "the agent's own user" : name + " (uid " + uid + ")";
    }
}
