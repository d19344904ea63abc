package dev.rcon.agent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Another local user, without privileges (nobody, uid 65534), for tests that play an attacker
 * on the agent's host: commands run as that user through setpriv(1), so the kernel's
 * permission checks are the real ones. Needs root; tests skip without it.
 */
public final class Unprivileged {
    public static final int UID = 65534;

    private Unprivileged() {
    }

    /** What a command run as the user did. */
    public record Result(int status, String out, String err) {
    }

    /** Skips the calling test unless it runs as root with setpriv at hand. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(new UnixSystem().getUid() == 0, "skipped: playing another user needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: setpriv(1) is not installed");
    }

    /**
     * A directory {@code name} in {@code parent} owned by the user, who may do anything in it;
     * {@code parent} is made searchable by others so the user can reach it.
     */
    public static Path home(Path parent, String name) throws IOException {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
        Path home = Files.createDirectory(parent.resolve(name));
        Files.setAttribute(home, "unix:gid", UID);
        Files.setAttribute(home, "unix:uid", UID);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /** Runs {@code sh -c script} as the user and waits up to 20 s for it. */
    public static Result run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--",
                "/bin/sh", "-c", script).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("'" + script + "' run as uid " + UID + " did not end within 20 s");
        }
        return new Result(p.exitValue(), out, err.join());
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
