package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Exec;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console that stops reading its socket blocks its own session's writer, and must block
 * nothing of another session's. The JDK tells the agent of a command's exit on a worker of the
 * common pool (ncpu - 1 of them on a host of three cores or more), where a command whose output
 * ended before it did used to send its {@code exit}: with the writer blocked, that worker was
 * held for as long as the console kept its connection, and a few such commands held every
 * worker, so no command of any session ever ended again (no {@code exit}, its slot never back).
 */
@Timeout(120)
class StalledWriterExitTest {
    @TempDir
    Path dir;

    /**
     * @param jvmFlag an agent that sees four processors (a common pool of three workers), or the
     *     unit's common pool of two on any host
     */
    @ParameterizedTest
    @CsvSource({"-XX:ActiveProcessorCount=4, 3", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2, 2"})
    void exitsOfCommandsOfAConsoleThatStoppedReadingHoldUpNoOtherSessionsCommands(String jvmFlag, int workers)
            throws Exception {
        Key key = TestKeys.fresh("stall");
        Path log = dir.resolve("agent.log");
        try (AgentProcess agent = AgentProcess.start(TestKeys.authorizedKeys(dir, key), log, jvmFlag);
             TestClient stalled = TestClient.over(smallReceiveBuffer(agent.port()), key)) {
            // Each closes its output and exits a little later, so its exit is the last thing it does.
            for (int id = 11; id <= 10 + 2 * workers; id++) {
                stalled.send(Exec.shell(id, "exec >/dev/null 2>&1; sleep 3"));
            }
            Thread.sleep(500);
            // Meanwhile output the console never reads fills the socket, and the session's writer blocks.
            for (int id = 1; id <= 4; id++) {
                stalled.send(Exec.shell(id, "head -c 8000000 /dev/zero"));
            }
            Thread.sleep(4000);
            assertOtherSessionsCommandsEnd(agent, key, log);
        }
    }

    private static Socket smallReceiveBuffer(int port) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return socket;
    }

    private static void assertOtherSessionsCommandsEnd(AgentProcess agent, Key key, Path log) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (TestClient client = TestClient.connect(agent.port(), key)) {
            Future<TestClient.Run> run = other.submit(() -> client.run(Exec.shell(1, "echo hi")));
            TestClient.Run result = run.get(15, TimeUnit.SECONDS);
            assertNotNull(result.exit(), Files.readString(log));
            assertEquals(0, result.exit().code());
            assertEquals("hi\n", new String(result.stdout()));
            assertTrue(agent.process().isAlive());
        } finally {
            other.shutdownNow();
        }
    }
}
