package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.wire.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place where a command's argv and environment are built, for every launcher: joining
 * the scope (a cgroup), setsid(1) so that the command leads a new session and process group,
 * the launcher's shell that attaches it, the drop to a key's user, at most one env(1)
 * (resetting signal dispositions the agent inherited ignored, and giving back what a shell of
 * ours before the program changed, unless the command's own /bin/sh redoes that), then the
 * request's program. Each of these is an exec on the way to every command, so nothing runs that
 * is not needed: the join rides in a shell that runs anyway where one runs as root after setsid,
 * and env(1) comes only when there is something for it to do. For a key's user, root acts on
 * nothing of the request's: no variable a root program would honour ({@link RootHonoured}) passes
 * the programs before the drop, and the user's env(1) enters its directory and its chroot(1)
 * or env finds its program. Whatever must wrap every command belongs here.
 */
final class Spawner {
    static final String SETSID = "/usr/bin/setsid";
    static final String ENV = "/usr/bin/env";
    /**
     * Whether a {@code /bin/sh} that starts the command redoes whatever a {@code /bin/sh} of ours
     * before it (a join shell, the terminal's attach shell) changed in the environment, so that
     * there is nothing for env(1) to give back. dash does: at its start it resets IFS and OPTIND
     * and sets PPID when they came in (PPID to the same parent: every step is an exec in one
     * process), exports PWD (what came in if it is absolute and stat(2) finds the working
     * directory there, else getcwd(3)), and changes nothing else (CgroupTest compares the two
     * ways). Leaving env(1) out saves an exec, about 3 ms. Any other /bin/sh keeps env(1): what
     * it does at its start was not checked.
     */
    private static final boolean SH_REDOES_ITS_CHANGES = isDash(Path.of("/bin/sh"));
    /**
     * Signals the agent was started with ignored (INT, when a shell launched it in the
     * background) would be inherited through exec by every command, and Ctrl-C could not stop
     * them: then env(1) resets every signal to its default first. Signals the JVM catches are
     * reset by exec itself; it installs its own QUIT and PIPE handlers, so systemd's
     * IgnoreSIGPIPE leaves nothing ignored.
     */
    private static final boolean RESET_SIGNALS = ProcessGroups.inheritedIgnoredSignals();
    /** A name a POSIX shell keeps as a variable; dash drops every other from what it passes on. */
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** What a POSIX shell may add to or change in the environment it passes on. */
    private static final List<String> SHELL_VARIABLES =
            List.of("PWD", "OLDPWD", "SHLVL", "IFS", "OPTIND", "PPID", "LINENO", "PS1", "PS2", "PS4", "_");

    private Spawner() {
    }

    /**
     * A command ready to start once its scope is known: the process builder (the launcher sets
     * its redirections and variables) and the parts its argv is made of.
     */
    static final class Plan {
        private final ProcessBuilder pb;
        private final List<String> setsidOptions;
        private final String attachScript;
        private final List<String> dropPrivileges;
        private final String shellCommand;
        private final List<String> program;
        /** Where a key's user asked to start: the user's env(1) goes there, with the user's rights. */
        private final String userDirectory;

        private Plan(ProcessBuilder pb, List<String> setsidOptions, String attachScript, RunAs runAs, Exec request,
                String program, String userDirectory) {
            this.pb = pb;
            this.setsidOptions = List.copyOf(setsidOptions);
            this.attachScript = attachScript;
            this.dropPrivileges = runAs.prefix();
            this.shellCommand = request.command();
            this.program = program == null ? null : withArguments(program, request.argv());
            this.userDirectory = userDirectory;
        }

        ProcessBuilder processBuilder() {
            return pb;
        }

        private static List<String> withArguments(String program, List<String> argv) {
            List<String> words = new ArrayList<>(List.of(program));
            words.addAll(argv.subList(1, argv.size()));
            return words;
        }
    }

    /** Where the process joins its scope. */
    private enum Join {
        /** The scope has nothing to join. */
        NONE,
        /** A shell of its own, first of all. */
        OWN_SHELL,
        /** The first line of the launcher's attach shell. */
        ATTACH_SHELL,
        /** The first line of the command's own {@code sh -c}, before the command's text. */
        COMMAND_SHELL
    }

    /**
     * The plan for {@code request}, its standard streams left for the launcher.
     *
     * @param setsidOptions setsid's options
     * @param attachScript a sh(1) script that sets up the command's streams and ends with
     *     {@code exec "$@"}, run as root after setsid; null for none
     * @throws RequestException when the program or the directory does not exist (checked by root
     *     only for a key without a user: a user's chroot or env(1) finds out, with its own rights),
     *     or the program's path holds '='
     */
    static Plan plan(Exec request, RunAs runAs, List<String> setsidOptions, String attachScript)
            throws RequestException {
        // Once: where an agent's command starts also decides where a relative program is found.
        String start = runAs.isAgent() ? agentDirectory(request) : null;
        String program = null;
        if (request.command() == null) {
            // A key's user finds its program itself (chroot or env(1) search its PATH with its
            // rights): root would tell it which programs exist where it may not look.
            program = runAs.isAgent() ? resolve(request.argv().get(0), request, start) : request.argv().get(0);
            if (program.indexOf('=') >= 0) {
                // env(1), which must come before some programs, would take it for a variable.
                throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot run a program whose path holds '=': "
                        + program);
            }
        }
        ProcessBuilder pb = new ProcessBuilder();
        String userDirectory = null;
        if (runAs.isAgent()) {
            if (request.cwd() != null && !Files.isDirectory(Path.of(request.cwd()))) {
                throw new RequestException(ErrorCode.NOT_FOUND, "no such directory: " + request.cwd());
            }
            if (start != null) {
                pb.directory(new File(start));
                // The agent's own PWD (where it was started from) would name another directory.
                pb.environment().put("PWD", start);
            }
        } else {
            // A key's user enters its directory with its own rights, in its env(1): root would let
            // it start where it may not go, and tell it which such directories exist. A home that
            // is gone leaves it in /, as sshd does. It starts from a login's environment, not root's.
            pb.directory(new File("/"));
            userDirectory = request.cwd() != null ? request.cwd()
                    : Files.isDirectory(Path.of(runAs.home())) ? runAs.home() : null;
            pb.environment().clear();
            pb.environment().putAll(RootHonoured.userBase());
        }
        if (request.env() != null) {
            pb.environment().putAll(request.env());
        }
        // After the request's: a key that runs as a user cannot claim another's home.
        pb.environment().putAll(runAs.environment());
        return new Plan(pb, setsidOptions, attachScript, runAs, request, program, userDirectory);
    }

    /**
     * Starts {@code plan} for {@code scope}; the caller then awaits the join before anything else
     * reads from the process. The scope's join goes into the first shell on the way that runs as
     * root after setsid (the attach shell, or the command's own when no user is dropped to), and
     * into a shell of its own only where there is none: that saves an exec per command.
     */
    static Spawn start(Plan plan, CommandScope scope) throws RequestException {
        String join = scope.joinLine();
        ProcessBuilder pb = plan.pb.command(commandLine(plan, join));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot start: " + e.getMessage());
        }
        try {
            return new Spawn(process, ProcessPipes.take(process), scope, where(plan, join) == Join.COMMAND_SHELL);
        } catch (RuntimeException e) {
            // No access to the pipes (an agent run without java.io opened): the process must not run.
            process.destroyForcibly();
            throw e;
        }
    }

    /** A process just started, its pipes taken from the JDK, not yet known to be inside its scope. */
    record Spawn(Process process, ProcessPipes pipes, CommandScope scope, boolean inCommandShell) {
        /**
         * Binds the scope to the process and waits for its word (a cgroup's join marker); when it
         * fails, the process is ended by PID, since it may not have made its group (setsid) or
         * joined the scope yet, and its pipes are let go of.
         */
        void awaitJoined() throws RequestException {
            try {
                scope.started(process, pipes, inCommandShell);
            } catch (RequestException | RuntimeException e) {
                abandon(process, pipes);
                throw e;
            }
        }
    }

    private static Join where(Plan plan, String join) {
        return join == null ? Join.NONE : plan.attachScript != null ? Join.ATTACH_SHELL
                : plan.shellCommand != null && plan.dropPrivileges.isEmpty() ? Join.COMMAND_SHELL : Join.OWN_SHELL;
    }

    /**
     * The argv of {@code plan} with {@code join} (null for none), taking out of its environment
     * what env(1) is to give back.
     */
    static List<String> commandLine(Plan plan, String join) {
        Join where = where(plan, join);
        List<String> argv = new ArrayList<>();
        if (where == Join.OWN_SHELL) {
            argv.addAll(List.of("/bin/sh", "-c", join + "; exec \"$@\"", "rcon-join"));
        }
        argv.add(SETSID);
        argv.addAll(plan.setsidOptions);
        argv.add("--");
        if (plan.attachScript != null) {
            argv.addAll(List.of("/bin/sh", "-c", (where == Join.ATTACH_SHELL ? join + "; " : "") + plan.attachScript,
                    "rcon-attach"));
        }
        argv.addAll(plan.dropPrivileges);
        boolean shellBefore = where == Join.OWN_SHELL || plan.attachScript != null;
        argv.addAll(env(plan.pb.environment(), shellBefore, plan.shellCommand != null, !plan.dropPrivileges.isEmpty(),
                plan.userDirectory));
        if (plan.shellCommand != null) {
            // After --, a command that starts with '-' or '+' is a command, not more options of sh.
            argv.addAll(List.of("/bin/sh", "-c", "--",
                    (where == Join.COMMAND_SHELL ? join + "; " : "") + plan.shellCommand));
        } else {
            argv.addAll(plan.program);
        }
        return argv;
    }

    /**
     * The env(1) words before the program: none when there is nothing to reset, give back or
     * enter. What a shell of ours before the program changed is given back ({@code -u} each
     * variable a shell may touch, then the values that came in), unless the program is a
     * {@code /bin/sh} that redoes it; what that shell would refuse or drop, and for a key's user
     * whatever a program of the agent's that runs as root would act on ({@link RootHonoured}),
     * comes after {@code --}, so that a name given back that starts with '-' is never read as one
     * of env's options (-S would split a string into a new command line). For a key's user, env
     * (already the user's) enters the directory, with the user's rights. The rest of the
     * environment travels as the environment, which no other user can read.
     */
    private static List<String> env(Map<String, String> environment, boolean shellBefore, boolean shellAfter,
            boolean asUser, String directory) {
        List<String> held = holdBack(environment, shellBefore, shellAfter, asUser);
        boolean giveBack = shellBefore && !(shellAfter && SH_REDOES_ITS_CHANGES && held.isEmpty());
        if (!giveBack && held.isEmpty() && directory == null && !RESET_SIGNALS) {
            return List.of();
        }
        List<String> words = new ArrayList<>(List.of(ENV));
        if (RESET_SIGNALS) {
            words.add("--default-signal");
        }
        if (directory != null) {
            words.add("--chdir=" + directory);
        }
        if (giveBack) {
            for (String name : SHELL_VARIABLES) {
                words.add("-u");
                words.add(name);
            }
        }
        words.add("--");
        if (giveBack) {
            for (String name : SHELL_VARIABLES) {
                if (environment.containsKey(name)) {
                    words.add(name + "=" + environment.get(name));
                }
            }
        }
        words.addAll(held);
        return words;
    }

    /**
     * What must not pass the programs before the command, taken out of the environment as
     * {@code NAME=VALUE} words for env(1) to give back: for a shell of ours before the program,
     * an OPTIND dash cannot read as a number (it stops at its start, "Illegal number") and, for a
     * program without a shell of its own, names that are not shell identifiers ({@code my.var},
     * which dash drops); for a key's user, what a root program would act on.
     */
    private static List<String> holdBack(Map<String, String> environment, boolean shellBefore, boolean shellAfter,
            boolean asUser) {
        List<String> held = new ArrayList<>();
        for (Iterator<Map.Entry<String, String>> it = environment.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> variable = it.next();
            String name = variable.getKey();
            if (shellBefore && (name.equals("OPTIND") || !shellAfter && !SHELL_NAME.matcher(name).matches())
                    || asUser && RootHonoured.honoured(name)) {
                held.add(name + "=" + variable.getValue());
                it.remove();
            }
        }
        return held;
    }

    private static boolean isDash(Path sh) {
        try {
            return sh.toRealPath().getFileName().toString().equals("dash");
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends a process that must not run, and lets go of its pipes. */
    private static void abandon(Process process, ProcessPipes pipes) {
        try {
            process.destroyForcibly();
        } finally {
            pipes.close();
        }
    }

    /**
     * Where a command of the agent's own user starts: the request's directory, else that user's
     * home, as sshd starts a command (the agent's own directory is / under systemd, where an
     * operator's relative paths meant for the home would land); null for the agent's own, when
     * the home is not a directory.
     */
    private static String agentDirectory(Exec request) {
        if (request.cwd() != null) {
            return request.cwd();
        }
        String home = System.getProperty("user.home");
        return home != null && home.startsWith("/") && Files.isDirectory(Path.of(home)) ? home : null;
    }

    /**
     * Finds argv[0] the way execvp would, so that a missing program is an error before anything
     * starts rather than an exit status from setsid; a relative path, and a relative entry of PATH,
     * from {@code start}, where the program will start.
     */
    private static String resolve(String program, Exec request, String start) throws RequestException {
        if (program.indexOf('/') >= 0) {
            Path path = Path.of(program);
            if (start != null && !path.isAbsolute()) {
                path = Path.of(start).resolve(path);
            }
            if (!Files.isExecutable(path) || Files.isDirectory(path)) {
                throw new RequestException(ErrorCode.SPAWN_FAILED, "not an executable program: " + program);
            }
            return path.toString();
        }
        String pathVar = request.env() != null && request.env().containsKey("PATH")
                ? request.env().get("PATH") : System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : pathVar.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            // A relative entry (bin, or the empty one) is relative to where the program starts,
            // not to the agent's own directory: the file checked is the one run.
            if (start != null && !candidate.isAbsolute()) {
                candidate = Path.of(start).resolve(candidate);
            }
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        throw new RequestException(ErrorCode.SPAWN_FAILED, "no such program: " + program);
    }
}
