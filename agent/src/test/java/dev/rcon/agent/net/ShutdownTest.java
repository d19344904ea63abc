package dev.rcon.agent.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rcon.agent.testkit.Processes;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Agent shutdown: TERM, KILL after the grace, exits delivered, then close. */
@Timeout(60)
class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void shutdownEndsEveryGroupReportsTheExitsThenSaysClose() throws Exception {
        TestAgent agent = TestAgent.start(dir, c -> c.withKillGrace(Duration.ofMillis(500)));
        try (TestClient polite = agent.connect(); TestClient stubborn = agent.connect()) {
            polite.send(Exec.shell(1, "exec sleep 300"));
            assertInstanceOf(Started.class, polite.receive());
            stubborn.send(Exec.shell(1, "trap '' TERM; sleep 300 & echo $!; wait"));
            assertInstanceOf(Started.class, stubborn.receive());
            long grandchild = Long.parseLong(new String(((Stdout) stubborn.receive()).payload(), UTF_8).strip());

            agent.close();

            Exit politeExit = (Exit) polite.receive();
            assertEquals("TERM", politeExit.signal());
            assertInstanceOf(Close.class, polite.receive());
            Exit stubbornExit = (Exit) stubborn.receive();
            assertEquals("KILL", stubbornExit.signal());
            assertInstanceOf(Close.class, stubborn.receive());
            Processes.assertGone(grandchild);
        }
    }
}
