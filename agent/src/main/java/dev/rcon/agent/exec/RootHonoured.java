package dev.rcon.agent.exec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables that a program running as root would act on: for a key with a user, the agent's
 * programs before the drop (a join or attach shell, setsid, chroot) must not see them from the
 * request. glibc ignores the same ones (and every LD_ and MALLOC_ one) in a setuid program, whose
 * environment is as untrusted; locale names (a name with '/' is a path to locale data and message
 * catalogues, whose formats reach printf), what bash takes from its environment even as sh
 * (functions, SHELLOPTS with PS4, BASH_ENV), what name-service modules read (hesiod, systemd,
 * LDAP; the drop itself looks up no name, see RunAs) and PWD, which a root shell would stat, are
 * added. They reach the command as env(1)
 * arguments after the drop, which ps shows while the chain starts: no secret belongs in them.
 */
final class RootHonoured {
    private static final List<String> PREFIXES = List.of("LD_", "MALLOC_", "GLIBC_", "LC_", "BASH", "SYSTEMD_",
            "LDAP", "NSS_", "ULPATH_", "ULPROCFS_", "LIBMOUNT_", "LIBBLKID_", "LIBSMARTCOLS_");
    private static final Set<String> NAMES = Set.of("GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LOCALDOMAIN",
            "LOCPATH", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR", "TZ", "LANG",
            "LANGUAGE", "SHELLOPTS", "PS4", "ENV", "CDPATH", "GLOBIGNORE", "IFS", "OPTIND", "POSIXLY_CORRECT",
            "EXECIGNORE", "HESIOD_CONFIG", "HES_DOMAIN", "NIS_DEFAULTS", "NIS_GROUP", "DATEMSK", "MSGVERB",
            "SEV_LEVEL", "I18NPATH", "GMON_OUTPUT_PREFIX", "OUTPUT_CHARSET", "LIBC_FATAL_STDERR_", "PWD", "OLDPWD");
    /** What a user's command starts from, as sshd gives a login: a PATH of its own, not root's. */
    private static final String USER_PATH = "/usr/local/bin:/usr/bin:/bin";

    private RootHonoured() {
    }

    static boolean honoured(String name) {
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The environment a user's command starts from, before the request's and the user's own. */
    static Map<String, String> userBase() {
        String lang = System.getenv("LANG");
        return lang == null ? Map.of("PATH", USER_PATH) : Map.of("PATH", USER_PATH, "LANG", lang);
    }
}
