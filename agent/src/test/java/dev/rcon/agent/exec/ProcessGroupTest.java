package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Signal;
import dev.rcon.common.msg.SignalName;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without cgroups ({@code "cgroups": "off"}, or a host where the agent cannot make one), signals,
 * timeouts and teardown reach the whole process group: no orphans that stay in it.
 */
@Timeout(60)
class ProcessGroupTest {
    /** Starts a grandchild that ignores nothing, prints its pid, and waits for it. */
    private static final String WITH_GRANDCHILD = "sleep 300 & echo $!; wait";

    @RegisterExtension
    final AgentExtension agent = new AgentExtension(c -> c.withCgroups(AgentConfig.Cgroups.OFF));

    private static long grandchildPid(TestClient client) throws Exception {
        assertInstanceOf(Started.class, client.receive());
        String line = new String(((Stdout) client.receive()).payload(), UTF_8).strip();
        long pid = Long.parseLong(line);
        assertTrue(ProcessHandle.of(pid).isPresent(), "grandchild should be running");
        return pid;
    }

    @Test
    void withCgroupsOffTheAgentSaysSoAndCommandsStayInItsOwnCgroup() throws Exception {
        assertTrue(agent.get().log().contains("commands run in process groups (cgroups is \"off\" in the configuration)"),
                agent.get().log());
        try (TestClient client = agent.get().connect()) {
            TestClient.Run run = client.run(new Exec(1, null, List.of("cat", "/proc/self/cgroup"), null, null, null, null));
            assertEquals(Files.readString(Path.of("/proc/self/cgroup")), new String(run.stdout(), UTF_8));
        }
    }

    @Test
    void timeoutKillsTheCommandAndItsGrandchild() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(new Exec(1, WITH_GRANDCHILD, null, null, null, 500L, null));
            long grandchild = grandchildPid(client);
            Exit exit = client.collect(1).exit();
            assertTrue(exit.timedOut());
            assertEquals("TERM", exit.signal());
            Processes.assertGone(grandchild);
        }
    }

    @Test
    void aCommandIgnoringTermIsKilledAfterTheGrace() throws Exception {
        try (TestClient client = agent.get().connect()) {
            Exit exit = client.run(new Exec(1, "trap '' TERM; sleep 30", null, null, null, 300L, null)).exit();
            assertTrue(exit.timedOut());
            assertEquals("KILL", exit.signal());
        }
    }

    @Test
    void closingTheSessionKillsTheCommandAndItsGrandchild() throws Exception {
        long grandchild;
        try (TestClient client = agent.get().connect()) {
            client.send(Exec.shell(1, WITH_GRANDCHILD));
            grandchild = grandchildPid(client);
            client.send(new Close());
            // The command's exit races the agent's close: it may come first, and nothing but close may follow.
            Message reply = client.receive();
            if (reply instanceof Exit exit) {
                assertEquals(1, exit.id());
                assertEquals("TERM", exit.signal());
                reply = client.receive();
            }
            assertInstanceOf(Close.class, reply);
            assertThrows(EOFException.class, client::receive);
        }
        Processes.assertGone(grandchild);
    }

    @Test
    void droppingTheConnectionKillsTheCommandAndItsGrandchild() throws Exception {
        long grandchild;
        try (TestClient client = agent.get().connect()) {
            client.send(Exec.shell(1, WITH_GRANDCHILD));
            grandchild = grandchildPid(client);
        }
        Processes.assertGone(grandchild);
    }

    @Test
    void aSignalReachesEveryProcessInTheGroup() throws Exception {
        try (TestClient client = agent.get().connect()) {
            client.send(Exec.shell(1, WITH_GRANDCHILD));
            long grandchild = grandchildPid(client);
            client.send(new Signal(1, SignalName.TERM));
            assertEquals("TERM", client.collect(1).exit().signal());
            Processes.assertGone(grandchild);
        }
    }

    @Test
    void aBackgroundChildLeftBehindDiesWithTheSession() throws Exception {
        long orphan;
        try (TestClient client = agent.get().connect()) {
            TestClient.Run run = client.run(Exec.shell(1, "sleep 300 >/dev/null 2>&1 & echo $!"));
            assertEquals(0, run.exit().code());
            orphan = Long.parseLong(new String(run.stdout(), UTF_8).strip());
            assertTrue(ProcessHandle.of(orphan).isPresent());
        }
        Processes.assertGone(orphan);
    }

    @Test
    void anInterruptEndsBackgroundJobsThatIgnoreIt() throws Exception {
        try (TestClient client = agent.get().connect()) {
            // sh starts background jobs with INT ignored; the interrupt must still end the group.
            client.send(Exec.shell(1, WITH_GRANDCHILD));
            long grandchild = grandchildPid(client);
            client.send(new Signal(1, SignalName.INT));
            assertEquals("INT", client.collect(1).exit().signal());
            Processes.assertGone(grandchild);
        }
    }
}
