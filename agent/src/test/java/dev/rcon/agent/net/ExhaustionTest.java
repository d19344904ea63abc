package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Running out of file descriptors costs connections, never the listener. */
@Timeout(120)
class ExhaustionTest {
    @TempDir
    Path dir;

    /** Likewise the classes of handshakes that fail: one displaced by a newer one, the rest dropped. */
    private static void warmUpFailedHandshakes(int port) throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 17; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName("127.0.9.1"), 0));
            }
            idle.get(0).setSoTimeout(20_000);
            idle.get(0).getInputStream().readAllBytes();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void theListenerSurvivesRunningOutOfFileDescriptors() throws Exception {
        Key key = TestKeys.fresh("fd");
        Path log = dir.resolve("agent.log");
        try (AgentProcess agent = AgentProcess.startWithFileLimit(64, TestKeys.authorizedKeys(dir, key), log)) {
            // Load the classes of a whole session first: the test class path is many jars, and a
            // class the JVM fails to load for want of a descriptor stays unloadable.
            try (TestClient warm = TestClient.connect(agent.port(), key)) {
                assertEquals(0, warm.run(Exec.shell(1, "true")).exit().code());
            }
            warmUpFailedHandshakes(agent.port());
            List<Socket> idle = new ArrayList<>();
            try {
                // Idle peers in their handshake hold a descriptor each; with 64 descriptors the agent
                // runs out before its caps do (16 per address, 32 per /24: so 7 networks of 10).
                for (int i = 0; i < 70; i++) {
                    InetAddress from = InetAddress.getByName("127.0." + (2 + i / 10) + ".1");
                    idle.add(new Socket(InetAddress.getLoopbackAddress(), agent.port(), from, 0));
                }
                for (int i = 0; i < 100 && !Files.readString(log).contains("failed: Too many open files"); i++) {
                    Thread.sleep(50);
                }
                assertTrue(Files.readString(log).contains("failed: Too many open files"), Files.readString(log));
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
            TestClient client = null;
            for (int attempt = 0; client == null; attempt++) {
                try {
                    client = TestClient.connect(agent.port(), key);
                } catch (IOException e) {
                    if (attempt == 50) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            try (TestClient c = client) {
                assertEquals(0, c.run(Exec.shell(1, "true")).exit().code());
            }
            assertTrue(agent.process().isAlive());
        }
    }
}
