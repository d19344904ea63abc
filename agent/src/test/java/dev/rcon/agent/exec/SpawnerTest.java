package dev.rcon.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.msg.Exec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The argv the spawner builds, which every user of the host can read in /proc/PID/cmdline while
 * the chain starts (RunAsUserTest runs the same requests for real).
 */
@Timeout(10)
class SpawnerTest {
    private static final RunAs NOBODY = new RunAs("nobody", 65534, 65534, List.of(65534), "/nonexistent", "/usr/sbin/nologin");
    private static final String JOIN = "echo $$ >'/sys/fs/cgroup/x/cgroup.procs' && printf J || exit 126";

    /**
     * Attack: a local user reads a user key's variables (a token in the request) from the argv of
     * the programs before the drop. Only what a root program would act on goes there.
     */
    @Test
    void aUsersVariablesTravelInTheEnvironmentAndOnlyWhatRootWouldHonourInArguments() throws Exception {
        Map<String, String> env = Map.of("TOKEN", "hunter2", "LD_PRELOAD", "/tmp/x.so", "BASH_FUNC_echo%%", "() { :; }");
        for (Exec request : List.of(new Exec(1, "true", null, "/tmp", env, null, null),
                new Exec(2, null, List.of("true"), "/tmp", env, null, null))) {
            for (String attach : new String[] {null, "exec \"$@\""}) {
                Spawner.Plan plan = Spawner.plan(request, NOBODY, List.of(), attach);
                List<String> argv = Spawner.commandLine(plan, JOIN);
                assertFalse(argv.stream().anyMatch(word -> word.contains("hunter2")), argv.toString());
                int envAt = argv.lastIndexOf(Spawner.ENV);
                int given = argv.indexOf("LD_PRELOAD=/tmp/x.so");
                assertTrue(envAt > argv.indexOf(RunAs.CHROOT) && argv.subList(envAt, given).contains("--")
                        && argv.subList(envAt, given).contains("--chdir=/tmp"), argv.toString());
                assertTrue(argv.contains("BASH_FUNC_echo%%=() { :; }"), argv.toString());
                Map<String, String> environment = plan.processBuilder().environment();
                assertEquals("hunter2", environment.get("TOKEN"));
                assertFalse(environment.containsKey("LD_PRELOAD") || environment.containsKey("BASH_FUNC_echo%%"));
                assertEquals("/usr/local/bin:/usr/bin:/bin", environment.get("PATH"), "a login's PATH, not root's");
                assertEquals("/", plan.processBuilder().directory().getPath(), "root enters nothing for the user");
            }
        }
    }

    /**
     * Attack: an NSS module (hesiod, LDAP, systemd) reads variables of the request while root
     * looks a name up, and so lets a user key choose its own groups (root's, disk's). The drop
     * names every id by number: run for real, it loads no name service and calls no lookup
     * function (lazy binding shows every libc function it calls) before the program.
     */
    @Test
    void theDropToAUserLooksUpNoNameAsRoot() throws Exception {
        dev.rcon.agent.testkit.TestKeys.assumeRoot();
        RunAs user = new RunAs("nobody", 65534, 65534, List.of(65534, 100), "/nonexistent", "/bin/sh");
        List<String> drop = user.prefix();
        assertEquals(List.of(RunAs.CHROOT, "--userspec=+65534:+65534", "--groups=+65534,+100", "--skip-chdir", "--", "/"),
                drop);
        List<String> command = new java.util.ArrayList<>(drop);
        command.addAll(List.of("/usr/bin/id", "-G"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LD_DEBUG", "libs,bindings");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertEquals("65534 100", out.strip());
        String beforeTheProgram = err.substring(0, err.indexOf("initialize program: /usr/bin/id"));
        assertFalse(beforeTheProgram.contains("libnss"), beforeTheProgram);
        // glibc answers from /etc files without loading a module: no lookup function is bound either.
        assertFalse(java.util.regex.Pattern.compile("binding file \\S*chroot \\[0\\] .*symbol `(getpw|getgr|initgroups)")
                .matcher(beforeTheProgram).find(), beforeTheProgram);
    }

    /** Root enters nothing for a user, its home included: the user's env(1) does, with its rights. */
    @Test
    void aUsersHomeIsEnteredByTheUserAndAMissingOneLeavesItInTheRoot() throws Exception {
        RunAs withHome = new RunAs("nobody", 65534, 65534, List.of(65534), "/tmp", "/bin/sh");
        Spawner.Plan plan = Spawner.plan(Exec.shell(1, "pwd"), withHome, List.of(), null);
        List<String> argv = Spawner.commandLine(plan, null);
        assertTrue(argv.contains("--chdir=/tmp"), argv.toString());
        assertEquals("/", plan.processBuilder().directory().getPath());
        Spawner.Plan homeless = Spawner.plan(Exec.shell(2, "pwd"), NOBODY, List.of(), null);
        assertFalse(Spawner.commandLine(homeless, null).stream().anyMatch(word -> word.startsWith("--chdir")));
        assertEquals("/", homeless.processBuilder().directory().getPath());
    }
}
