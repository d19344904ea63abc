package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place where a command's argv and environment are built, for every launcher: the
 * scope's prefix (joining a cgroup), setsid(1) so that the command leads a new session and
 * process group, what the launcher needs to attach it, the drop to a key's user, at most one
 * env(1) (resetting signal dispositions the agent inherited ignored, and giving back what the
 * prefix's shell changed, unless the command's own /bin/sh redoes that), then the request's
 * program. Each of these is an exec on the way to every command, so nothing runs that is not
 * needed: env(1) only when there is something for it to do. Whatever must wrap every command
 * belongs here.
 */
final class Spawner {
    static final String SETSID = "/usr/bin/setsid";
    static final String ENV = "/usr/bin/env";
    /**
     * Where env(1) goes in argv until {@link #start} knows what it has to do; a NUL can never be
     * part of a real argument ({@link Exec} refuses one), so the slot cannot be mistaken for one.
     */
    private static final String ENV_SLOT = "\0env";
    /** The same, before {@code /bin/sh -c COMMAND}: see {@link #SH_REDOES_ITS_CHANGES}. */
    private static final String SHELL_ENV_SLOT = "\0env-sh";
    /**
     * Whether a {@code /bin/sh} that starts the command redoes whatever a {@code /bin/sh} before
     * it (the cgroup's join shell, the terminal's attach shell) changed in the environment, so
     * that there is nothing for env(1) to give back. dash does: at its start it resets IFS and
     * OPTIND and sets PPID when they came in (PPID to the same parent: every step is an exec in
     * one process), exports PWD (what came in if it is absolute and stat(2) finds the working
     * directory there, else getcwd(3)), and changes nothing else (CgroupTest compares the two
     * ways). One difference remains: for a key with a user, the join shell looks at PWD with
     * root's rights and the command's shell with the user's, so a logical PWD only the user can
     * stat (a root-squashed NFS home) arrives as the physical path. Leaving env(1) out saves an
     * exec per command under systemd, about 3 ms, a sixth of a warm command here. Any other
     * /bin/sh keeps env(1): what it does at its start was not checked.
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

    private Spawner() {
    }

    /**
     * The process builder for {@code request}, its standard streams left for the launcher.
     *
     * @param attach arguments between setsid and env: setsid's options and programs that set up
     *     the command's streams, each ending in an exec of the rest of argv
     * @throws RequestException when the program or the directory does not exist
     */
    static ProcessBuilder builder(Exec request, RunAs runAs, List<String> attach) throws RequestException {
        List<String> command = new ArrayList<>();
        command.add(SETSID);
        command.addAll(attach);
        command.addAll(runAs.prefix());
        if (request.command() != null) {
            command.add(SHELL_ENV_SLOT);
            command.addAll(List.of("/bin/sh", "-c", request.command()));
        } else {
            String program = resolve(request.argv().get(0), request);
            // env would take a program path containing '=' for a variable assignment.
            if (program.indexOf('=') < 0) {
                command.add(ENV_SLOT);
            }
            command.add(program);
            command.addAll(request.argv().subList(1, request.argv().size()));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        String dir = request.cwd() != null ? request.cwd() : runAs.home();
        if (dir != null) {
            Path cwd = Path.of(dir);
            if (!Files.isDirectory(cwd)) {
                if (request.cwd() == null) {
                    // As sshd does for a user whose home is gone: start in / rather than fail.
                    cwd = Path.of("/");
                } else {
                    throw new RequestException(ErrorCode.NOT_FOUND, "no such directory: " + request.cwd());
                }
            }
            pb.directory(cwd.toFile());
        }
        if (request.env() != null) {
            pb.environment().putAll(request.env());
        }
        // After the request's: a key that runs as a user cannot claim another's home.
        pb.environment().putAll(runAs.environment());
        return pb;
    }

    /**
     * Starts {@code pb} inside {@code scope}: the scope's words go first and see the environment
     * the command will get, and the scope is bound to the process before anything reads from it.
     */
    static Process start(ProcessBuilder pb, CommandScope scope) throws RequestException {
        List<String> command = new ArrayList<>(scope.prefix(pb.environment()));
        List<String> fix = scope.environmentFix(pb.environment());
        List<String> held = holdBack(pb, !fix.isEmpty());
        for (String word : pb.command()) {
            if (word.equals(ENV_SLOT) || word.equals(SHELL_ENV_SLOT)) {
                boolean shRedoes = word.equals(SHELL_ENV_SLOT) && SH_REDOES_ITS_CHANGES && held.isEmpty();
                command.addAll(env(shRedoes ? List.of() : fix, held));
            } else {
                command.add(word);
            }
        }
        pb.command(command);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RequestException(ErrorCode.SPAWN_FAILED, "cannot start: " + e.getMessage());
        }
        try {
            scope.started(process);
        } catch (RequestException e) {
            abandon(process);
            throw e;
        }
        return process;
    }

    /**
     * What a shell before the program (the scope's join shell, a terminal's attach shell) would
     * refuse or drop, taken out of the environment as {@code NAME=VALUE} words for env(1) to give
     * back, so that the program fares as it would with no shell before it: an OPTIND dash cannot
     * read as a number stops it at its start ("Illegal number"), and dash passes on no variable
     * whose name is not a shell identifier ({@code my.var}), which only a program run without a
     * shell of its own could see. Nothing is taken out when no env(1) comes to give it back.
     */
    private static List<String> holdBack(ProcessBuilder pb, boolean scopeShell) {
        List<String> argv = pb.command();
        int slot = Math.max(argv.indexOf(ENV_SLOT), argv.indexOf(SHELL_ENV_SLOT));
        if (slot < 0 || !(scopeShell || argv.subList(0, slot).contains("/bin/sh"))) {
            return List.of();
        }
        boolean noShellAfter = argv.get(slot).equals(ENV_SLOT);
        List<String> held = new ArrayList<>();
        for (Iterator<Map.Entry<String, String>> it = pb.environment().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> variable = it.next();
            if (variable.getKey().equals("OPTIND") || noShellAfter && !SHELL_NAME.matcher(variable.getKey()).matches()) {
                held.add(variable.getKey() + "=" + variable.getValue());
                it.remove();
            }
        }
        return held;
    }

    /**
     * The env(1) words before the program: none when there is nothing to reset or give back.
     * {@code held} comes after {@code --} (a non-empty {@code fix} ends in assignments after its
     * own): a name given back may start with '-', and must never be read as one of env's
     * options (-S would split a string into a new command line).
     */
    private static List<String> env(List<String> fix, List<String> held) {
        if (fix.isEmpty() && held.isEmpty() && !RESET_SIGNALS) {
            return List.of();
        }
        List<String> words = new ArrayList<>(List.of(ENV));
        if (RESET_SIGNALS) {
            words.add("--default-signal");
        }
        words.addAll(fix);
        if (fix.isEmpty() && !held.isEmpty()) {
            words.add("--");
        }
        words.addAll(held);
        return words;
    }

    private static boolean isDash(Path sh) {
        try {
            return sh.toRealPath().getFileName().toString().equals("dash");
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends a process that must not run, and lets go of its pipes. */
    private static void abandon(Process process) {
        process.destroyForcibly();
        for (java.io.Closeable pipe : List.of(process.getOutputStream(), process.getInputStream(),
                process.getErrorStream())) {
            try {
                pipe.close();
            } catch (IOException e) {
                // Closing is all we wanted.
            }
        }
    }

    /**
     * Finds argv[0] the way execvp would, so that a missing program is an error before anything
     * starts rather than an exit status from setsid.
     */
    private static String resolve(String program, Exec request) throws RequestException {
        if (program.indexOf('/') >= 0) {
            Path path = Path.of(program);
            if (request.cwd() != null && !path.isAbsolute()) {
                path = Path.of(request.cwd()).resolve(path);
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
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate.toString();
            }
        }
        throw new RequestException(ErrorCode.SPAWN_FAILED, "no such program: " + program);
    }
}
