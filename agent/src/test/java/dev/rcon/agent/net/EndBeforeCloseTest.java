package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Keys;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Window;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's close (and the agent's shutdown) wait for a channel's end and then send close,
 * so a console that gets close may rely on having heard each request's last record. A channel
 * that counted as ended before it sent that record let the close overtake it.
 */
@Timeout(240)
class EndBeforeCloseTest {
    @TempDir
    Path dir;

    /**
     * Session.close waits for a keys request (and a transfer) to end before it sends close, so
     * a console that gets our close may rely on what it asked having been answered. With the
     * session's writer busy (a command's output streaming), the key_list, once sent after the
     * channel counted as ended, lost the race to the close in about 1 round in 13.
     */
    @Test
    void aKeysChangeAnsweredWhileOutputStreamsStillPrecedesTheClose() throws Exception {
        try (TestAgent agent = TestAgent.start(dir, c -> c.withKillGrace(Duration.ofMillis(200)))) {
            agent.withOptions("manage-keys");
            Key extra = TestKeys.fresh("extra");
            List<String> lost = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                try (TestClient client = agent.connect()) {
                    client.withholdWindows();
                    client.send(Exec.shell(2, "trap '' TERM; echo ready; exec cat /dev/zero"));
                    assertInstanceOf(Started.class, client.receive());
                    // The close's TERM must find the trap set: one before it ended the command, whose
                    // exit then came with the key_list and the close.
                    assertInstanceOf(dev.rcon.common.msg.Stdout.class, client.receive());
                    client.send(new Window(2, Integer.MAX_VALUE - 4194304));
                    client.send(round % 2 == 0 ? Keys.add(1, KeyLine.format(extra))
                            : Keys.remove(1, extra.kidHex()));
                    client.send(new Close());
                    String seen = receiveAll(client).replace("stdout ", "");
                    if (!seen.equals("key_list close ")) {
                        lost.add("round " + round + ": " + seen);
                    }
                }
            }
            assertEquals(List.of(), lost);
        }
    }

    private static String receiveAll(TestClient client) throws IOException {
        StringBuilder seen = new StringBuilder();
        try {
            while (true) {
                Message m = client.receive();
                seen.append(m.type().wireName()).append(' ');
                if (m instanceof Close) {
                    return seen.toString();
                }
            }
        } catch (EOFException e) {
            return seen.append("EOF").toString();
        }
    }
}
