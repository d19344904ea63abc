package dev.rcon.agent.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rcon.agent.testkit.AgentProcess;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.agent.testkit.Unprivileged;
import dev.rcon.common.auth.Key;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Data;
import dev.rcon.common.msg.Done;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.FileInfo;
import dev.rcon.common.msg.Get;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.msg.Pong;
import dev.rcon.common.msg.Put;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user racing the directory of a put or a get: the JDK opens a directory by path with a
 * plain open(2), so a directory swapped for a link to a terminal between the agent's look and its
 * open made the agent, a session leader under systemd, take that terminal as its controlling
 * terminal; a ^C typed there stopped it, with status 0, which systemd does not restart.
 */
@Timeout(120)
class DirectorySwapRaceTest {
    /** As uid 65534: swaps sub (a directory) with a link to its own pty, ^C once the agent took it. */
    private static final String ATTACKER = String.join("\n",
            "import os, sys, time, ctypes",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "home, pid, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])",
            "m, s = os.openpty(); slave = os.ttyname(s); os.close(s)",
            "a = os.path.join(home, 'sub').encode(); b = os.path.join(home, 'swap').encode()",
            "os.mkdir(a); open(a + b'/file', 'w').close(); os.symlink(slave, b)",
            "def tty(): return int(open('/proc/' + pid + '/stat').read().rsplit(')', 1)[1].split()[4])",
            "end = time.time() + secs; n = 0",
            "while time.time() < end:",
            "    libc.syscall(316, -100, a, -100, b, 2)",  // renameat2(RENAME_EXCHANGE)
            "    n += 1",
            "    if n % 500 == 0 and tty() != 0:",
            "        os.write(m, b'\\x03'); print('the agent took', slave, 'after', n, 'swaps'); sys.exit(1)",
            "print(n, 'swaps')");

    @TempDir
    Path dir;

    @Test
    void aLocalUserSwappingAPutOrGetsDirectoryForTheirTerminalCannotMakeItTheAgentsAndStopIt() throws Exception {
        Unprivileged.assumeAvailable();
        Key key = TestKeys.fresh("race");
        Path keys = TestKeys.authorizedKeys(dir, key);
        Path log = dir.resolve("agent.log");
        Path home = Unprivileged.home(dir, "home");
        Path script = Files.writeString(home.resolve("swap.py"), ATTACKER);
        String sub = home.resolve("sub").toString();
        String empty = HexFormat.of().formatHex(Crypto.sha256(new byte[0]));
        try (AgentProcess agent = AgentProcess.startAsSessionLeader(keys, log);
             TestClient client = TestClient.connect(agent.port(), key)) {
            CompletableFuture<Unprivileged.Result> attacker = CompletableFuture.supplyAsync(() -> {
                try {
                    return Unprivileged.run("exec /usr/bin/python3 " + script + " " + home + " " + agent.process().pid() + " 8");
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            int id = 0;
            while (!attacker.isDone() && agent.process().isAlive()) {
                // A put, then a get, of a file in the directory being swapped.
                client.send(new Put(++id, sub + "/file", 0L, "0644"));
                client.send(Data.last(id, empty));
                assertSwapSeenAsOneLine(client.receive(), sub, log);
                client.send(new Get(++id, sub + "/file"));
                Message m = client.receive();
                if (m instanceof FileInfo) {
                    m = client.receive();
                }
                assertSwapSeenAsOneLine(m, sub, log);
            }
            Unprivileged.Result swapped = attacker.join();
            assertEquals(0, swapped.status(), swapped.out() + swapped.err());
            client.send(new Ping(++id));
            assertInstanceOf(Pong.class, client.receive());
            assertTrue(agent.process().isAlive());
            assertFalse(Files.readString(log).contains("stopping on signal"), Files.readString(log));
            assertTrue(id > 20, "only " + id + " requests in the race");
        }
    }

    /** Done, or one line naming the directory: never anything opened in its stead. */
    private static void assertSwapSeenAsOneLine(Message m, String sub, Path log) throws Exception {
        if (m instanceof Done) {
            return;
        }
        if (m instanceof Close) {
            fail("the agent stopped in the race: " + Files.readString(log));
        }
        ErrorReply e = assertInstanceOf(ErrorReply.class, m);
        assertTrue(e.message().contains(sub) && !e.message().contains("\n"), e.toString());
    }
}
