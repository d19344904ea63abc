package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.CgroupChecks;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack V9: a command whose process leaves its process group ({@code setsid}, a double fork)
 * outlived the command. In a cgroup of its own, nothing the command starts can leave by those
 * means, and every end of the command reaches it. Skipped, saying why, where this JVM cannot
 * make a cgroup (the fallback is {@link ProcessGroupTest}'s).
 */
@Timeout(60)
class CgroupTest {
    /** The environment a command's shell passes on, and the shell variables it sees itself. */
    private static final String SHELL_VARIABLES_SEEN =
            "env; printf '[%s]' \"$IFS\" \"$OPTIND\" \"$PPID\" \"$PWD\" \"$OLDPWD\" \"$SHLVL\" \"$PS1\" \"$PS4\" \"$_\"";

    /**
     * Leaves the command's session and process group, prints its PID once it has, and lets go of
     * the output pipe so that the command can end without it.
     */
    private static final String ESCAPE = "setsid sh -c 'echo $$; exec sleep 1000 >/dev/null 2>&1' &";
    private static final String ESCAPE_IGNORING_TERM =
            "setsid sh -c 'trap \"\" TERM; echo $$; exec sleep 1000 >/dev/null 2>&1' &";

    @RegisterExtension
    final AgentExtension agent = new AgentExtension(c -> c.withKillGrace(Duration.ofMillis(300)));

    @TempDir
    Path dir;

    private CommandScopes host;

    @BeforeEach
    void requireCgroups() {
        host = CgroupChecks.assumeUsable();
    }

    /** Reads the escapee's PID and checks it really left the command's session and group. */
    private static long escapee(TestClient client, int id) throws Exception {
        long command = ((Started) client.receive()).pid();
        StringBuilder line = new StringBuilder();
        while (line.indexOf("\n") < 0) {
            Message m = client.receive();
            assertEquals(id, m.requestId());
            line.append(new String(((Stdout) m).payload(), UTF_8));
        }
        long pid = Long.parseLong(line.toString().strip());
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertNotEquals(command, Long.parseLong(fields[2]), "the escapee should have left the command's group");
        assertNotEquals(command, Long.parseLong(fields[3]), "the escapee should have left the command's session");
        return pid;
    }

    @Test
    void theAgentSaysOnceAtStartThatCommandsRunInCgroups() {
        assertTrue(host.describe().startsWith("cgroups under " + host.home() + " (ended by "), host.describe());
        String line = "commands run in " + host.describe();
        assertEquals(1, agent.get().log().lines().filter(l -> l.endsWith(line)).count(), agent.get().log());
    }

    @Test
    void aCommandIsInACgroupOfItsOwnFromItsFirstInstructionWhichIsRemovedWhenItEnds() throws Exception {
        try (TestClient client = agent.get().connect()) {
            TestClient.Run run = client.run(new Exec(1, null, List.of("cat", "/proc/self/cgroup"), null, null, null, null));
            assertEquals(0, run.exit().code());
            String own = CgroupChecks.v2Path(Files.readString(Path.of("/proc/self/cgroup")));
            String path = CgroupChecks.v2Path(new String(run.stdout(), UTF_8));
            String name = path.substring(path.lastIndexOf('/') + 1);
            assertEquals((own.equals("/") ? "" : own) + "/" + name, path);
            assertTrue(name.startsWith("cmd-" + ProcessHandle.current().pid() + "-"), name);
            assertFalse(Files.exists(host.home().resolve(name)), "the cgroup of a finished command is removed");
        }
    }

    /**
     * The join shares the first line of the command's own shell (or the terminal's attach
     * shell): nothing of the command's text, not even a here-document's expansion on that line,
     * runs before the process is in the cgroup.
     */
    @Test
    void everyKindOfCommandIsInItsCgroupBeforeAnythingOfItsOwnRuns() throws Exception {
        Pty pty = new Pty("xterm", 80, 24);
        String own = CgroupChecks.v2Path(Files.readString(Path.of("/proc/self/cgroup")));
        try (TestClient client = agent.get().connect()) {
            for (Exec probe : List.of(
                    Exec.shell(1, "cat /proc/$$/cgroup"),
                    Exec.shell(2, "cat <<EOF\n$(cat /proc/$$/cgroup)\nEOF"),
                    Exec.shell(3, "exec cat /proc/self/cgroup"),
                    new Exec(4, "cat /proc/$$/cgroup", null, null, null, null, null, pty),
                    new Exec(5, null, List.of("cat", "/proc/self/cgroup"), null, null, null, null, pty))) {
                TestClient.Run run = client.run(probe);
                assertEquals(0, run.exit().code(), "status of " + probe);
                String path = CgroupChecks.v2Path(new String(run.stdout(), UTF_8)).strip();
                assertTrue(path.startsWith((own.equals("/") ? "" : own) + "/cmd-" + ProcessHandle.current().pid() + "-"),
                        probe + " ran in " + path);
            }
        }
    }

    @Test
    void aSetsidEscapeeDiesWhenTheCommandTimesOut() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(new Exec(1, ESCAPE + " wait", null, null, null, 500L, null));
            long escapee = escapee(client, 1);
            Exit exit = client.collect(1).exit();
            assertTrue(exit.timedOut());
            assertEquals("TERM", exit.signal());
            Processes.assertGone(escapee);
        }
    }

    @Test
    void anEscapeeIgnoringTermIsKilledAfterTheGraceOfATimeoutWhileTheSessionGoesOn() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(new Exec(1, ESCAPE_IGNORING_TERM + " wait", null, null, null, 300L, null));
            long escapee = escapee(client, 1);
            assertTrue(client.collect(1).exit().timedOut());
            Processes.assertGone(escapee);
            assertEquals(0, client.run(Exec.shell(2, "true")).exit().code());
        }
    }

    @Test
    void aSignalFromTheConsoleReachesAnEscapee() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(Exec.shell(1, ESCAPE + " wait"));
            long escapee = escapee(client, 1);
            client.send(new Signal(1, SignalName.TERM));
            assertEquals("TERM", client.collect(1).exit().signal());
            Processes.assertGone(escapee);
        }
    }

    @Test
    void aDoubleForkedEscapeeOutlivesItsCommandButNotTheSession() throws Exception {
        long escapee;
        try (TestClient client = agent.get().connect()) {
            // The escapee hands its PID to the command, which prints it: the JDK stops reading a
            // command's output once its process exited, so the command must outlive the handover.
            client.send(new Exec(1, "mkfifo pid; (setsid sh -c 'echo $$ >pid; exec sleep 1000 >/dev/null 2>&1' &); cat pid",
                    null, dir.toString(), null, null, null));
            escapee = escapee(client, 1);
            assertEquals(0, client.collect(1).exit().code());
            assertTrue(ProcessHandle.of(escapee).isPresent(), "a background process may outlive its command");
            client.send(new Close());
            assertInstanceOf(Close.class, client.receive());
        }
        Processes.assertGone(escapee);
    }

    @Test
    void anEscapeeInACgroupTheCommandMadeBelowItsOwnDiesWithTheSession() throws Exception {
        String nested = "d=\"$HOME_CGROUP/$(sed -n 's|^0::.*/||p' /proc/self/cgroup)\"; mkdir \"$d/deeper\" &&"
                + " setsid sh -c 'echo $$ >\"$1/deeper/cgroup.procs\" && echo $$ && exec sleep 1000 >/dev/null 2>&1' x \"$d\" &"
                + " wait";
        long escapee;
        Path cgroup;
        try (TestClient client = agent.get().connect()) {
            client.send(new Exec(1, nested, null, null, Map.of("HOME_CGROUP", host.home().toString()), null, null));
            escapee = escapee(client, 1);
            assertTrue(Files.readString(Path.of("/proc", Long.toString(escapee), "cgroup")).strip().endsWith("/deeper"));
            cgroup = cgroupOf(escapee).getParent();
        }
        Processes.assertGone(escapee);
        CgroupChecks.assertRemoved(cgroup);
    }

    private Path cgroupOf(long pid) throws Exception {
        String path = CgroupChecks.v2Path(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")));
        String own = CgroupChecks.v2Path(Files.readString(Path.of("/proc/self/cgroup")));
        return host.home().resolve(path.substring(own.equals("/") ? 1 : own.length() + 1));
    }

    @Test
    void agentShutdownKillsEscapeesAndRemovesTheirCgroups() throws Exception {
        TestAgent own = TestAgent.start(dir, c -> c.withKillGrace(Duration.ofMillis(300)));
        long escapee;
        Path cgroup;
        try (TestClient client = own.connect()) {
            client.send(Exec.shell(1, ESCAPE_IGNORING_TERM + " wait"));
            escapee = escapee(client, 1);
            cgroup = cgroupOf(escapee);
            own.close();
            assertEquals("TERM", client.collect(1).exit().signal());
            assertInstanceOf(Close.class, client.receive());
        }
        Processes.assertGone(escapee);
        CgroupChecks.assertRemoved(cgroup);
    }

    /**
     * The join wrapper is invisible: same argv, environment and status as without cgroups. (Only
     * the order of the environment's entries may differ: a shell rebuilds the block.)
     */
    @Test
    void theJoinChangesNeitherArgvNorEnvironmentNorExitStatus() throws Exception {
        TestAgent plain = TestAgent.start(dir, c -> c.withCgroups(AgentConfig.Cgroups.OFF));
        try (plain; TestClient inCgroup = agent.get().connect(); TestClient inGroup = plain.connect()) {
            List<Exec> probes = List.of(
                    new Exec(1, null, List.of("/usr/bin/env"), "/tmp", Map.of("PWD", "/nowhere", "d", "x", "p", "y"), null, null),
                    new Exec(2, null, List.of("/usr/bin/env"), "/tmp", Map.of("SHLVL", "7", "IFS", ":", "OPTIND", "3",
                            "PPID", "1", "_", "/x"), null, null),
                    new Exec(3, null, List.of("/bin/sh", "-c", "printf '[%s]' \"$0\" \"$@\"; exit 7", "zero", "a b", "$1", "*", ""),
                            null, null, null, null),
                    Exec.shell(4, "echo \"$PWD\"; kill -USR1 $$"),
                    // A command through /bin/sh: the join shell's changes, redone by the command's own shell.
                    new Exec(5, SHELL_VARIABLES_SEEN, null, "/tmp", Map.of("PWD", "/nowhere", "SHLVL", "7", "IFS", ":",
                            "OPTIND", "3", "PPID", "1", "_", "/x", "OLDPWD", "/o", "PS1", "a", "PS4", "p", "LINENO", "9"),
                            null, null),
                    new Exec(6, SHELL_VARIABLES_SEEN, null, "/", Map.of("d", "x"), null, null),
                    // An OPTIND dash cannot read stopped the join shell, and with it every command.
                    new Exec(7, null, List.of("/usr/bin/env"), "/tmp", Map.of("OPTIND", "abc"), null, null),
                    new Exec(8, "echo ran", null, "/tmp", Map.of("OPTIND", ""), null, null),
                    new Exec(9, SHELL_VARIABLES_SEEN, null, "/tmp", Map.of("OPTIND", "2"), null, null),
                    // Names no shell keeps: the join shell dropped them before an argv program saw them.
                    // Given back through env(1), a name like -S or --chdir must stay a variable.
                    new Exec(10, null, List.of("/usr/bin/env"), "/tmp", Map.of("d.x", "1", "-S", "oops",
                            "--chdir", "/", "a b", "2", "OPTIND", "x"), null, null),
                    // The join on the command's own first line: parse errors, line numbers and
                    // what the shell knows of itself stay as they were.
                    Exec.shell(11, ")"),
                    Exec.shell(12, "echo a; if true"),
                    Exec.shell(13, "; echo x"),
                    Exec.shell(14, "no-such-command-rcon; echo \"$LINENO\" \"$?\""),
                    Exec.shell(15, "echo one\n)\necho never"),
                    Exec.shell(16, ""),
                    Exec.shell(17, "echo \"$0\" \"$#\" \"$-\" \"$?\"; exit 3"),
                    Exec.shell(18, "cat <<EOF\n$LINENO\nEOF\nexit"),
                    // A command, not more options of sh, in every mode.
                    Exec.shell(19, "-x"),
                    Exec.shell(20, "+e echo hi"));
            for (Exec probe : probes) {
                TestClient.Run confined = inCgroup.run(probe);
                TestClient.Run unconfined = inGroup.run(probe);
                assertEquals(text(unconfined), text(confined), "output of " + probe);
                assertEquals(unconfined.exit().code(), confined.exit().code(), "status of " + probe);
                assertEquals(unconfined.exit().signal(), confined.exit().signal(), "signal of " + probe);
            }
        }
    }

    @Test
    void variablesAShellWouldRefuseOrDropReachAProgramOnATerminalInEitherMode() throws Exception {
        TestAgent plain = TestAgent.start(dir, c -> c.withCgroups(AgentConfig.Cgroups.OFF));
        try (plain; TestClient inCgroup = agent.get().connect(); TestClient inGroup = plain.connect()) {
            Pty pty = new Pty("xterm", 80, 24);
            // The second alone: with nothing else to give back, -S comes first after env's options.
            Map<Exec, List<String>> probes = Map.of(
                    new Exec(1, null, List.of("/usr/bin/env"), "/tmp", Map.of("OPTIND", "abc", "d.x", "1"), null, null, pty),
                    List.of("OPTIND=abc", "d.x=1"),
                    new Exec(2, null, List.of("/usr/bin/env"), "/tmp", Map.of("-S", "oops"), null, null, pty),
                    List.of("-S=oops"));
            for (TestClient client : List.of(inCgroup, inGroup)) {
                for (Map.Entry<Exec, List<String>> probe : probes.entrySet()) {
                    TestClient.Run run = client.run(probe.getKey());
                    String out = new String(run.stdout(), UTF_8);
                    assertEquals(0, run.exit().code(), out);
                    assertTrue(probe.getValue().stream().allMatch(out::contains), out);
                }
            }
        }
    }

    /** The join's PWD left to the command's shell: a logical path through a link, kept or not the same way. */
    @Test
    void theCommandsShellSeesTheSameLogicalDirectoryWithOrWithoutTheJoin() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real.getFileName());
        String seen = SHELL_VARIABLES_SEEN + "; pwd";
        TestAgent plain = TestAgent.start(dir, c -> c.withCgroups(AgentConfig.Cgroups.OFF));
        try (plain; TestClient inCgroup = agent.get().connect(); TestClient inGroup = plain.connect()) {
            List<Exec> probes = List.of(
                    new Exec(1, seen, null, link.toString(), Map.of("PWD", link.toString()), null, null),
                    new Exec(2, seen, null, link.toString(), Map.of("PWD", link + "/"), null, null),
                    new Exec(3, seen, null, link.toString(), Map.of("PWD", link + "/../link/."), null, null),
                    new Exec(4, seen, null, link.toString(), Map.of("PWD", "link"), null, null),
                    new Exec(5, seen, null, link.toString(), Map.of("PWD", real.toString()), null, null),
                    new Exec(6, seen, null, real.toString(), Map.of("PWD", link.toString(), "IFS", "", "OPTIND", "1",
                            "PPID", "", "OLDPWD", "", "PS2", "x", "_", ""), null, null),
                    new Exec(7, seen, null, link.toString(), Map.of("PWD", link.toString(), "IFS", ":", "PPID", "1"),
                            null, null, new Pty("xterm", 80, 24)));
            for (Exec probe : probes) {
                TestClient.Run confined = inCgroup.run(probe);
                TestClient.Run unconfined = inGroup.run(probe);
                assertEquals(text(unconfined), text(confined), "output of " + probe);
                assertEquals(unconfined.exit().code(), confined.exit().code(), "status of " + probe);
            }
            // The logical path survives: a redo that fell back to getcwd() would print .../real.
            assertTrue(text(inCgroup.run(new Exec(8, "echo \"$PWD\"", null, link.toString(),
                    Map.of("PWD", link.toString()), null, null))).contains(link.toString()));
        }
    }

    /** Run as a user, the command's shell checks PWD with the user's rights, the join shell with root's. */
    @Test
    void aUsersShellSeesTheSameDirectoryWithOrWithoutTheJoin() throws Exception {
        TestKeys.assumeRoot();
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real.getFileName());
        String seen = SHELL_VARIABLES_SEEN + "; pwd";
        try (TestAgent confinedAgent = TestAgent.start(Files.createDirectories(dir.resolve("a"))).withOptions("user=nobody");
             TestAgent plain = TestAgent.start(Files.createDirectories(dir.resolve("b")),
                     c -> c.withCgroups(AgentConfig.Cgroups.OFF)).withOptions("user=nobody");
             TestClient inCgroup = confinedAgent.connect(); TestClient inGroup = plain.connect()) {
            for (Exec probe : List.of(
                    new Exec(1, seen, null, link.toString(), Map.of("PWD", link.toString(), "IFS", ":"), null, null),
                    new Exec(2, seen, null, "/tmp", Map.of("PWD", "/nowhere", "OPTIND", "4"), null, null))) {
                assertEquals(text(inGroup.run(probe)), text(inCgroup.run(probe)), "output of " + probe);
            }
        }
    }

    private static List<String> text(TestClient.Run run) {
        // RCON_CONNECTION names each agent's own port: the one variable that differs by design.
        List<String> lines = new ArrayList<>(new String(run.stdout(), UTF_8).lines()
                .filter(l -> !l.startsWith("RCON_CONNECTION=")).sorted().toList());
        lines.add("stderr: " + new String(run.stderr(), UTF_8));
        return lines;
    }
}
