package dev.rcon.agent.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.KeyList;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key change over the wire while another process ({@code rcon-agent add-key}) changes the same
 * keys file. Each read the file before the other wrote it, so the second rename undid the first
 * change: an add-key run during a rotation brought the rotated-away key back at the next reload
 * and took the new one away (seen with real processes, add-key's rename delayed by strace).
 */
@Timeout(60)
class KeyFileLockTest {
    @TempDir
    Path dir;

    @Test
    void aChangeOverTheWireWaitsForAnotherProcessesChangeOfTheFileAndNeitherIsLost() throws Exception {
        Key fromProcess = TestKeys.fresh("enrolled-on-the-host");
        Key overTheWire = TestKeys.fresh("added-over-the-wire");
        try (TestAgent agent = TestAgent.start(dir).withOptions("manage-keys"); TestClient client = agent.connect()) {
            Process other = startChanger(agent, fromProcess);
            CompletableFuture<Message> answer = new CompletableFuture<>();
            try (OutputStream go = other.getOutputStream()) {
                BufferedReader said = new BufferedReader(new InputStreamReader(other.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("read", said.readLine(), "the other process holds the lock and has read the file");

                client.send(Keys.add(1, KeyLine.format(overTheWire)));
                Threads.start("keys-answer", () -> complete(answer, client));
                CompletableFuture<String> waits = new CompletableFuture<>();
                Threads.start("keys-wait-log", () -> waits.complete(awaitWaitLine(agent)));
                // Either the agent changed the file at once (the other process's write then undoes
                // it) or it waits for the lock, and says so in its log.
                CompletableFuture.anyOf(answer, waits).get(30, TimeUnit.SECONDS);
                go.write('g');
            }
            assertEquals(0, other.waitFor(30, TimeUnit.SECONDS) ? other.exitValue() : -1);
            Message reply = answer.get(30, TimeUnit.SECONDS);
            assertInstanceOf(KeyList.class, reply, String.valueOf(reply));

            String file = Files.readString(agent.authorizedKeys());
            assertTrue(file.contains(fromProcess.kidHex()) && file.contains(overTheWire.kidHex()), file);
            agent.agent().reloadKeys();
            try (TestClient added = TestClient.connect(agent.port(), overTheWire)) {
                assertEquals(0, added.run(Exec.shell(1, "true")).exit().code(),
                        "the key added over the wire survives a reload");
            }
        }
    }

    /**
     * A change waiting for another process's lock (a stopped {@code rcon-agent add-key}) held the
     * store's monitor, so a reload (SIGHUP) waited behind it, however long: an operator who had
     * removed a stolen key's line and run {@code systemctl reload} was told it reloaded while the
     * key still logged in (seen with a real agent, a python fcntl holder and {@code kill -HUP}).
     * A keys list from another session waited too.
     */
    @Test
    void aReloadAndAListGoOnWhileAChangeWaitsForAnotherProcessesLock() throws Exception {
        Key fromProcess = TestKeys.fresh("enrolled-on-the-host");
        Key overTheWire = TestKeys.fresh("added-over-the-wire");
        try (TestAgent agent = TestAgent.start(dir).withOptions("manage-keys"); TestClient client = agent.connect();
             TestClient other = agent.connect()) {
            Process holder = startChanger(agent, fromProcess);
            try (OutputStream go = holder.getOutputStream()) {
                BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("read", said.readLine(), "the other process holds the lock");
                client.send(Keys.add(1, KeyLine.format(overTheWire)));
                agent.awaitLog("keys add waits for another change of " + agent.authorizedKeys());

                CompletableFuture<Void> reloaded = new CompletableFuture<>();
                Threads.start("reload", () -> {
                    agent.agent().reloadKeys();
                    reloaded.complete(null);
                });
                reloaded.get(20, TimeUnit.SECONDS);
                other.send(Keys.list(1));
                CompletableFuture<Message> listed = new CompletableFuture<>();
                Threads.start("keys-list", () -> complete(listed, other));
                assertInstanceOf(KeyList.class, listed.get(20, TimeUnit.SECONDS), "a list answers meanwhile");
                go.write('g');
            }
            assertEquals(0, holder.waitFor(30, TimeUnit.SECONDS) ? holder.exitValue() : -1);
            assertInstanceOf(KeyList.class, client.receive(), "the waiting change is made once the lock is free");
            String file = Files.readString(agent.authorizedKeys());
            assertTrue(file.contains(fromProcess.kidHex()) && file.contains(overTheWire.kidHex()), file);
        }
    }

    private static Process startChanger(TestAgent agent, Key adding) throws java.io.IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockedChanger.class.getName(),
                agent.authorizedKeys().toString(), KeyLine.format(adding))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void complete(CompletableFuture<Message> answer, TestClient client) {
        try {
            answer.complete(client.receive());
        } catch (Exception e) {
            answer.completeExceptionally(e);
        }
    }

    private static String awaitWaitLine(TestAgent agent) {
        try {
            return agent.awaitLog("keys add waits for another change of " + agent.authorizedKeys());
        } catch (InterruptedException e) {
            return "";
        }
    }
}
