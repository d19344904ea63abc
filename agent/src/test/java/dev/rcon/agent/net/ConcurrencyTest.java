package dev.rcon.agent.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.common.msg.Exec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void twentySessionsAtOnceEachGetTheirOwnCompleteOutput() throws Exception {
        // Twenty consoles on one address handshake at once: more than the per-address cap displaces.
        try (TestAgent agent = TestAgent.start(dir, c -> c.withUnauthenticated(64, 32, 32))) {
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int s = 0; s < 20; s++) {
                    int session = s;
                    results.add(pool.submit(() -> {
                        try (TestClient client = agent.connect()) {
                            for (int id = 1; id <= 3; id++) {
                                client.send(Exec.shell(id, "seq 1 20000 | sed 's/^/" + session + "-" + id + "-/'"));
                            }
                            for (int id = 1; id <= 3; id++) {
                                TestClient.Run run = client.collect(id);
                                String[] lines = new String(run.stdout(), UTF_8).split("\n");
                                assertEquals(20000, lines.length, run.events().toString());
                                assertEquals(session + "-" + id + "-1", lines[0]);
                                assertEquals(session + "-" + id + "-20000", lines[19999]);
                                assertEquals(0, run.exit().code());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : results) {
                    f.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
