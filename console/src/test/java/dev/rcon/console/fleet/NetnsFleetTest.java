package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.console.testkit.Netns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent and the console inside a private network namespace, where 127.0.0.1 through
 * 127.0.3.232 are 1000 distinct hosts reaching the agent on 0.0.0.0.
 */
@Timeout(300)
class NetnsFleetTest {
    static final String THOUSAND = "127.0.0.[1-255],127.0.[1-2].[0-255],127.0.3.[0-232]";

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "console did not finish");
        return new Run(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    /** One agent stands in for every host: it holds each address's own derived key. */
    private static Key[] enrolled(Key fleet) {
        java.util.List<Key> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            keys.add(TestKeys.forHost(fleet, "127.0." + (i >> 8) + "." + (i & 255)));
        }
        return keys.toArray(new Key[0]);
    }

    @Test
    void aThousandHostsRunACommandAndAnswerPing() throws Exception {
        try (Netns ns = Netns.createOrSkip()) {
            Key key = TestKeys.fresh("netns");
            Path keyFile = TestKeys.keyFile(dir, key);
            Path config = dir.resolve("agent.json");
            Files.writeString(config, "{\"listen\": [\"0.0.0.0:5022\"], \"authorized_keys\": \""
                    + TestKeys.authorizedKeys(dir, enrolled(key)) + "\", \"max_sessions\": 2048, \"max_unauthenticated\": 1024, \"max_unauthenticated_per_peer\": 1024, "
                    + "\"max_unauthenticated_per_network\": 1024, \"penalty_failures\": 100000, \"handshake_timeout_ms\": 30000, \"audit_file\": \"" + dir.resolve("audit.jsonl") + "\"}");
            Process agent = new ProcessBuilder(ns.java("dev.rcon.agent.AgentMain", "--config", config.toString()))
                    .redirectError(dir.resolve("agent.log").toFile()).start();
            try {
                String first = new BufferedReader(new InputStreamReader(agent.getInputStream(), UTF_8)).readLine();
                assertEquals("listening on 0.0.0.0:5022", first);

                // A correctness test, not a speed test: one agent serving 1000 sessions shares two
                // cores with the console, and on a slow host (process creation takes milliseconds
                // under nested virtualisation) the last of 256 concurrent handshakes waits seconds.
                Run fleet = run(ns.java("dev.rcon.console.Main", "-H", THOUSAND, "--key", keyFile.toString(),
                        "--fanout", "256", "--connect-timeout", "60s", "-b", "--", "echo", "hello"));
                assertEquals(0, fleet.status(), fleet.err());
                assertTrue(fleet.out().contains("127.0.0.[1-255],127.0.1.[0-255],127.0.2.[0-255],127.0.3.[0-232] (1000)\n"),
                        fleet.out());
                assertTrue(fleet.err().startsWith("rcon: 1000 hosts: 1000 ok, 0 failed"), fleet.err());

                Run json = run(ns.java("dev.rcon.console.Main", "-H", "127.0.0.[1-100]", "--key", keyFile.toString(),
                        "--json", "--", "echo", "x"));
                assertEquals(0, json.status(), json.err());
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                java.util.Map<String, Integer> events = new java.util.HashMap<>();
                com.fasterxml.jackson.databind.JsonNode summary = null;
                for (String line : json.out().split("\n")) {
                    var event = mapper.readTree(line);
                    events.merge(event.path("event").asText(), 1, Integer::sum);
                    summary = event;
                }
                assertEquals(java.util.Map.of("started", 100, "stdout", 100, "done", 100, "summary", 1), events);
                assertEquals(100, summary.path("ok").asInt());

                Run partly = run(ns.java("dev.rcon.console.Main", "-H", "127.0.0.[1-20],127.0.9.9:6000",
                        "--key", keyFile.toString(), "--", "true"));
                assertEquals(2, partly.status(), partly.err());
                assertTrue(partly.err().contains("20 ok, 0 failed, 0 timed out, 1 unreachable"), partly.err());

                Run ping = run(ns.java("dev.rcon.console.Main", "ping", "127.0.0.[1-50],127.0.9.9:6000",
                        "--key", keyFile.toString(), "--timeout", "500ms"));
                assertEquals(2, ping.status(), ping.out() + ping.err());
                assertEquals(50, ping.out().lines().filter(l -> l.contains("  up ")).count(), ping.out());
                assertTrue(ping.out().contains("127.0.9.9:6000  down  no answer to 3 tries"), ping.out());
            } finally {
                agent.destroy();
                agent.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
