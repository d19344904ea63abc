package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.wire.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts commands on pipes: stdin, stdout and stderr are three pipes to the agent. */
public final class PipeLauncher implements Launcher {
    static final String SETSID = "/usr/bin/setsid";
    /**
     * Signals the agent was started with ignored (INT and QUIT, when launched in the background
     * by a shell) would be inherited through exec by every command, and Ctrl-C could not stop
     * them; env(1) resets every signal to its default first.
     */
    static final List<String> DEFAULT_SIGNALS = List.of("/usr/bin/env", "--default-signal");
    private static final File DEV_NULL = new File("/dev/null");

    @Override
    public Process launch(Exec request, CommandScope scope) throws RequestException {
        List<String> command = new ArrayList<>();
        command.add(SETSID);
        if (request.command() != null) {
            command.addAll(DEFAULT_SIGNALS);
            command.addAll(List.of("/bin/sh", "-c", request.command()));
        } else {
            String program = resolve(request.argv().get(0), request);
            // env would take a program path containing '=' for a variable assignment.
            if (program.indexOf('=') < 0) {
                command.addAll(DEFAULT_SIGNALS);
            }
            command.add(program);
            command.addAll(request.argv().subList(1, request.argv().size()));
        }
        ProcessBuilder pb = new ProcessBuilder();
        if (request.cwd() != null) {
            Path cwd = Path.of(request.cwd());
            if (!Files.isDirectory(cwd)) {
                throw new RequestException(ErrorCode.NOT_FOUND, "no such directory: " + request.cwd());
            }
            pb.directory(cwd.toFile());
        }
        if (request.env() != null) {
            pb.environment().putAll(request.env());
        }
        if (!request.wantsStdin()) {
            pb.redirectInput(DEV_NULL);
        }
        // The scope's words go first, and see the environment the command will get.
        command.addAll(0, scope.prefix(pb.environment()));
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

    /** Ends a process that must not run, and lets go of its pipes. */
    private static void abandon(Process process) {
        process.destroyForcibly();
        for (java.io.Closeable pipe : List.of(process.getOutputStream(), process.getInputStream(), process.getErrorStream())) {
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
