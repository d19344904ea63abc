package dev.rcon.agent.exec;

import dev.rcon.agent.channel.RequestException;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.CgroupChecks;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Pty;
import dev.rcon.common.wire.ErrorCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup scope on its own, with real processes: the freezer path for kernels without
 * {@code cgroup.kill}, a join that fails, and finding the agent's cgroup on each kind of host.
 */
@Timeout(60)
class CgroupScopeTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @Test
    void withoutCgroupKillTheFreezerKillsEveryEscapeeAndTheCgroupIsRemoved() throws Exception {
        CommandScopes host = CgroupChecks.assumeUsable();
        CommandScopes freezing = CommandScopes.cgroups(host.home(), false, warnings::add);
        CommandScope scope = freezing.open(false);
        Path cgroup = ((CgroupScope) scope).dir();
        Spawned spawned = started(Exec.shell(1, "for i in 1 2 3; do"
                + " setsid sh -c 'echo $$; exec sleep 1000 >/dev/null 2>&1' & done; wait"), scope);
        Process command = spawned.leader();
        List<Long> escapees = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(spawned.stdout(), UTF_8));
        for (int i = 0; i < 3; i++) {
            escapees.add(Long.parseLong(out.readLine()));
        }
        assertTrue(scope.hasMembers());
        scope.killAll();
        command.waitFor();
        for (long escapee : escapees) {
            Processes.assertGone(escapee);
        }
        scope.close();
        assertFalse(Files.exists(cgroup), "the cgroup is removed");
        assertFalse(scope.hasMembers());
        assertEquals(List.of(), warnings);
    }

    /**
     * At a command's end one rmdir decides: it removes an empty cgroup, and the kernel refuses it
     * while a background job, or a cgroup the command made below its own, is still inside.
     */
    @Test
    void atTheEndAnEmptyCgroupGoesAndOneWithAJobOrACgroupOfItsOwnStays() throws Exception {
        CommandScopes host = CgroupChecks.assumeUsable();
        CommandScope empty = host.open(false);
        Process quick = started(Exec.shell(1, "true"), empty).leader();
        quick.waitFor();
        assertTrue(empty.closeIfEmpty());
        assertFalse(Files.exists(((CgroupScope) empty).dir()), "the empty cgroup is removed");

        CommandScope busy = host.open(false);
        Path cgroup = ((CgroupScope) busy).dir();
        Spawned withJob = started(Exec.shell(2, "sleep 1000 >/dev/null 2>&1 & echo $!"), busy);
        Process leader = withJob.leader();
        long job = Long.parseLong(new BufferedReader(new InputStreamReader(withJob.stdout(), UTF_8)).readLine());
        leader.waitFor();
        assertFalse(busy.closeIfEmpty(), "a background job is left");
        assertTrue(Files.exists(cgroup) && busy.hasMembers());
        busy.close();
        Processes.assertGone(job);
        assertFalse(Files.exists(cgroup));

        CommandScope nested = host.open(false);
        Path outer = ((CgroupScope) nested).dir();
        started(Exec.shell(3, "mkdir " + outer.resolve("inner")), nested).leader().waitFor();
        assertTrue(nested.closeIfEmpty(), "no process is left, only a cgroup of the command's own");
        assertFalse(Files.exists(outer), "removed with the cgroup the command made");
    }

    /**
     * The join rides in the command's own shell, the terminal's attach shell, or a shell of its
     * own for an argv program on pipes; wherever it fails, the command never runs.
     */
    @Test
    void aCommandThatCannotJoinItsCgroupNeverRunsAndFailsToSpawn() throws Exception {
        CommandScopes host = CgroupChecks.assumeUsable();
        Path witness = dir.resolve("ran");
        Pty pty = new Pty("xterm", 80, 24);
        String touch = "touch " + witness;
        List<String> argv = List.of("/usr/bin/touch", witness.toString());
        List<Map.Entry<String, Exec>> byShell = List.of(
                Map.entry("/bin/sh", Exec.shell(1, touch)),
                Map.entry("rcon-join", new Exec(2, null, argv, null, null, null, null)),
                Map.entry("rcon-attach", new Exec(3, null, argv, null, null, null, null, pty)),
                Map.entry("rcon-attach", new Exec(4, touch, null, null, null, null, null, pty)));
        for (Map.Entry<String, Exec> request : byShell) {
            CommandScope scope = host.open(request.getValue().pty() != null);
            Path cgroup = ((CgroupScope) scope).dir();
            Files.delete(cgroup);
            RequestException e = assertThrows(RequestException.class,
                    () -> Launcher.standard().launch(request.getValue(), RunAs.AGENT, scope).awaitJoined());
            assertEquals(ErrorCode.SPAWN_FAILED, e.code());
            assertEquals("cannot start the command in cgroup " + cgroup + ": " + request.getKey() + ": 1: cannot create "
                    + cgroup + "/cgroup.procs: Directory nonexistent", e.getMessage());
            assertFalse(Files.exists(witness), "the command must not have run");
            scope.close();
        }
    }

    /**
     * A first line the command's shell cannot parse stops it before the join, as it would stop it
     * without a cgroup: the command's own failure, status 2 and the shell's message, and the
     * empty cgroup is removed.
     */
    @Test
    void aFirstLineTheShellCannotParseFailsAsTheCommandNotAsTheSpawn() throws Exception {
        CommandScopes host = CgroupChecks.assumeUsable();
        CommandScope scope = host.open(false);
        Path cgroup = ((CgroupScope) scope).dir();
        Spawned command = started(Exec.shell(1, "echo never; )"), scope);
        assertEquals(2, command.leader().waitFor());
        assertEquals("", new String(command.stdout().readAllBytes(), UTF_8));
        assertEquals("/bin/sh: 1: Syntax error: \")\" unexpected\n",
                new String(command.stderr().readAllBytes(), UTF_8));
        scope.close();
        assertFalse(Files.exists(cgroup), "the cgroup is removed");
        assertEquals(List.of(), warnings);
    }

    @Test
    void theAgentsCgroupIsFoundUnderTheCgroup2MountOfEachKindOfHost() {
        List<String> self = List.of("0::/system.slice/rcon-agent.service");
        String unified = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate";
        assertEquals(Path.of("/sys/fs/cgroup/system.slice/rcon-agent.service"),
                CommandScopes.ownCgroup(self, List.of("22 1 8:1 / / rw - ext4 /dev/sda1 rw", unified)));
        List<String> hybrid = List.of("12:pids:/system.slice/rcon-agent.service", "1:name=systemd:/system.slice/rcon-agent.service",
                "0::/system.slice/rcon-agent.service");
        String hybridMount = "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw";
        assertEquals(Path.of("/sys/fs/cgroup/unified/system.slice/rcon-agent.service"),
                CommandScopes.ownCgroup(hybrid, List.of(hybridMount)));
        String containerRoot = "30 23 0:26 /machine.slice/ct\\040one /sys/fs/cgroup rw - cgroup2 cgroup2 rw";
        assertEquals(Path.of("/sys/fs/cgroup/system.slice/x.service"),
                CommandScopes.ownCgroup(List.of("0::/machine.slice/ct one/system.slice/x.service"), List.of(containerRoot)));
        assertEquals(Path.of("/sys/fs/cgroup"), CommandScopes.ownCgroup(List.of("0::/"), List.of(unified)));
    }

    @Test
    void aHostWithoutAWritableCgroup2SaysWhy() {
        assertEquals("no cgroup v2 hierarchy (cgroup v1 only)", assertThrows(IllegalStateException.class,
                () -> CommandScopes.ownCgroup(List.of("1:name=systemd:/user.slice"), List.of())).getMessage());
        String readOnly = "30 23 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw";
        assertEquals("cgroup2 at /sys/fs/cgroup is mounted read-only", assertThrows(IllegalStateException.class,
                () -> CommandScopes.ownCgroup(List.of("0::/system.slice/x.service"), List.of(readOnly))).getMessage());
        assertEquals("no cgroup2 file system mounted over the agent's cgroup /x", assertThrows(IllegalStateException.class,
                () -> CommandScopes.ownCgroup(List.of("0::/x"), List.of("22 1 8:1 / / rw - ext4 /dev/sda1 rw"))).getMessage());
        CommandScopes off = CommandScopes.processGroups("turned off");
        assertFalse(off.usesCgroups());
        assertEquals("process groups (turned off)", off.describe());
    }

    /** A command on pipes in {@code scope}, once it joined it, as the channel awaits it before reading. */
    private static Spawned started(Exec request, CommandScope scope) throws RequestException {
        Spawned spawned = new PipeLauncher().launch(request, RunAs.AGENT, scope);
        spawned.awaitJoined();
        return spawned;
    }
}
