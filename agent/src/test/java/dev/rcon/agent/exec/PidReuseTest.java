package dev.rcon.agent.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack X13: a key holder runs a command whose background job keeps its output pipe after the
 * leader exited, then forks until PIDs come round, so that the next command the agent starts
 * (another console's, say) gets the leader's PID. The JDK remembered the leader's exit under its
 * PID for as long as its reaper waited for the pipe's stream, and took the new command for the
 * old one: reported ended at once with the old status, its output unread, left a zombie.
 */
@Timeout(120)
class PidReuseTest {
    /** PIDs of the agent's namespace wrap to 301 after this: a few hundred forks bring them round. */
    private static final int PID_MAX = 1000;
    /** Where PIDs start again after a wrap (the kernel keeps those below for daemons). */
    private static final int FIRST_AFTER_WRAP = 301;
    /** How far below the leader's PID the job stops forking: the agent's own threads take PIDs too. */
    private static final int MARGIN = 40;

    @TempDir
    Path dir;

    @Test
    void aCommandGivenThePidOfAnExitedLeaderWhoseJobKeepsItsOutputRunsAndReportsItself() throws Exception {
        assumeTrue(AgentProcess.canWrapPids(), "needs root and a PID namespace with a pid_max of its own (Linux 6.14)");
        Key key = TestKeys.fresh("forker");
        try (AgentProcess agent = AgentProcess.startWithPidsWrappingAt(PID_MAX, TestKeys.authorizedKeys(dir, key),
                dir.resolve("agent.log")); TestClient attacker = TestClient.connect(agent.port(), key);
             TestClient victim = TestClient.connect(agent.port(), key)) {
            // A thread of the agent may take the PID first: then another round, with a new leader.
            // A leader's PID must be far enough above where PIDs start again for a job to wrap below it.
            assertEquals(0, attacker.run(Exec.shell(100, "while p=$(sh -c 'echo $$'); [ \"$p\" -lt "
                    + (PID_MAX - 2 * MARGIN) + " ]; do :; done")).exit().code());
            StringBuilder seen = new StringBuilder();
            for (int round = 1; round <= 4; round++) {
                long leader = leaveAJobAndWrapPidsTo(attacker, round);
                seen.append(" leader ").append(leader).append(":");
                if (leader < FIRST_AFTER_WRAP + MARGIN) {
                    continue;
                }
                for (int id = 1; id <= 3 * MARGIN; id++) {
                    int request = round * 1000 + id;
                    victim.send(Exec.shell(request, "echo victim-" + request));
                    Message first = victim.receive();
                    long pid = assertInstanceOf(Started.class, first, () -> first + seen.toString()).pid();
                    TestClient.Run run = victim.collect(request);
                    seen.append(' ').append(pid);
                    if (pid == leader) {
                        assertEquals("victim-" + request + "\n", new String(run.stdout(), UTF_8), run.events().toString());
                        assertEquals(0, run.exit().code(), run.events().toString());
                        return;
                    }
                    if (pid > leader) {
                        break;
                    }
                }
            }
            fail("no command got the PID of an exited leader in four rounds:" + seen);
        }
    }

    /**
     * Runs a leader that exits 7 at once, leaving a job on its stdout that forks until the next
     * PID is a little below the leader's, says {@code ready} and holds the pipe from a session of
     * its own (a PID stays taken while a process group or session has its number).
     *
     * @return the leader's PID
     */
    private static long leaveAJobAndWrapPidsTo(TestClient client, int id) throws Exception {
        client.send(Exec.shell(id, "L=$$; (i=0; while [ $L -ge " + (FIRST_AFTER_WRAP + MARGIN) + " ] && [ $i -lt "
                + 2 * PID_MAX + " ]; do p=$(sh -c 'echo $$'); i=$((i+1));"
                + " [ \"$p\" -lt \"$L\" ] && [ \"$p\" -ge $((L-" + MARGIN + ")) ] && break; done;"
                + " echo ready; exec setsid sleep 60) & exit 7"));
        long leader = assertInstanceOf(Started.class, client.receive()).pid();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(UTF_8).contains("ready\n")) {
            Message m = client.receive();
            if (m instanceof Stdout s) {
                out.writeBytes(s.payload());
            } else {
                fail("expected the job's output but got " + m);
            }
        }
        return leader;
    }
}
