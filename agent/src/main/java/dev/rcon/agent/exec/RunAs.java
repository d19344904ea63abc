package dev.rcon.agent.exec;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The account a command runs as: the agent's own ({@link #AGENT}), or a user named by a key's
 * {@code user=} option, whose uid, gids and home the command gets and nothing else of root's.
 * chroot(1) to / drops the identity after everything that needs root (the cgroup, the terminal)
 * is in place, and before the request's program runs: by numbers only, so that no name service
 * runs as root in the environment the request gave (setpriv looks every id up as a name first,
 * and an NSS module such as hesiod or LDAP reads variables that would pick the user's groups).
 *
 * @param name the user's name, or null for the agent's own account
 * @param uid the user's uid
 * @param gid the user's primary gid
 * @param groups every gid the user is in, as the group database said when the keys were loaded
 * @param home the user's home: HOME, and the working directory when the request names none
 * @param shell the user's login shell, for SHELL
 */
public record RunAs(String name, int uid, int gid, List<Integer> groups, String home, String shell) {
    public static final RunAs AGENT = new RunAs(null, -1, -1, List.of(), null, null);
    static final String CHROOT = "/usr/sbin/chroot";

    public RunAs {
        groups = List.copyOf(groups);
        if (name != null && (uid < 0 || gid < 0 || home == null || !home.startsWith("/"))) {
            throw new IllegalArgumentException("user " + name + ": needs a uid, a gid and an absolute home");
        }
        if (groups.stream().anyMatch(g -> g < 0)) {
            throw new IllegalArgumentException("user " + name + ": a group id is negative");
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
        // '+' makes each id a number for chroot, never a name to look up.
        String gids = groups.stream().map(g -> "+" + g).collect(Collectors.joining(","));
        return List.of(CHROOT, "--userspec=+" + uid + ":+" + gid, "--groups=" + gids, "--skip-chdir", "--", "/");
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
