package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --listen HOST:0} (tests, benchmarks) where the kernel's pick has its UDP side held by
 * another program: the agent picks again rather than run without ping. Each agent runs in a
 * network namespace of its own whose ephemeral ports the test sets, and a socket there holds UDP
 * 40001, bound while the range was that port alone.
 */
@Timeout(60)
class EphemeralPortTest {
    private static final String PORTS = "/proc/sys/net/ipv4/ip_local_port_range";
    private static final String HOLD_UDP_40001 = "echo '40001 40001' >" + PORTS + " && exec 3<>/dev/udp/127.0.0.1/9";

    @TempDir
    Path dir;

    @BeforeEach
    void needsANetworkNamespace() throws Exception {
        assumeTrue(AgentProcess.canMakeNetworkNamespace(), "needs root and a network namespace of its own");
    }

    private AgentProcess start(String setup) throws IOException {
        return AgentProcess.startInNetworkNamespace(setup, TestKeys.authorizedKeys(dir, TestKeys.fresh("ephemeral")),
                dir.resolve("agent.log"));
    }

    /** TCP ports listened on in the agent's namespace, from its /proc/PID/net/tcp and tcp6. */
    private static Set<Integer> listening(AgentProcess agent) throws IOException {
        Set<Integer> ports = new TreeSet<>();
        for (String file : new String[] {"tcp", "tcp6"}) {
            Path table = Path.of("/proc", String.valueOf(agent.process().pid()), "net", file);
            for (String line : Files.readAllLines(table)) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A")) {
                    ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /**
     * The ephemeral ports are 40000 and 40001. Linux's bind to port 0 tries the range's start plus
     * an odd offset first, so TCP gets 40001 first, every time.
     */
    @Test
    void portZeroPassesOverAPortWhoseUdpSideIsHeldAndListensWithPing() throws Exception {
        try (AgentProcess agent = start(HOLD_UDP_40001 + " && echo '40000 40001' >" + PORTS)) {
            String log = Files.readString(dir.resolve("agent.log"));
            assertEquals(40000, agent.port(), log);
            assertFalse(log.contains("no ping on udp"), log);
            assertEquals(Set.of(40000), listening(agent), "the port passed over is let go");
        }
    }

    @Test
    void whenNoEphemeralPortHasItsUdpSideFreeTheAgentServesWithoutPingAndSaysWhy() throws Exception {
        try (AgentProcess agent = start(HOLD_UDP_40001)) {
            String log = Files.readString(dir.resolve("agent.log"));
            assertEquals(40001, agent.port(), log);
            assertTrue(log.contains("no ping on udp 127.0.0.1:40001: "), log);
            assertEquals(Set.of(40001), listening(agent));
        }
    }
}
