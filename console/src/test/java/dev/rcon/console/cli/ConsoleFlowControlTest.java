package dev.rcon.console.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console keeps to the agent's windows (RCON1.md 4.1): were it to send more than a window
 * allows, the agent would end the session and these runs would fail with 255.
 */
@Timeout(120)
class ConsoleFlowControlTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    private ConsoleRun rcon(byte[] stdin, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--host";
        all[1] = agent.address();
        all[2] = "--key";
        all[3] = agent.keyFile().toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return ConsoleRun.run(agent.dir(), new ByteArrayInputStream(stdin), Map.of(), all);
    }

    @Test
    void stdinFarLargerThanAWindowIsPacedByTheAgentsCredit() {
        byte[] stdin = new byte[20 << 20];
        ConsoleRun r = rcon(stdin, "--", "sleep 1; wc -c");
        assertEquals(0, r.status(), r.err());
        assertEquals(String.valueOf(stdin.length), r.out().strip());
    }

    @Test
    void outputFarLargerThanAWindowArrivesWhole() {
        ConsoleRun r = rcon(new byte[0], "-n", "--", "head -c 12000000 /dev/zero | tr '\\0' x");
        assertEquals(0, r.status(), r.err());
        assertEquals(12_000_000, r.out().length());
    }

    @Test
    void putAndGetOfSeveralWindowsRoundTrip() throws Exception {
        byte[] bytes = new byte[13 << 20];
        new Random(5).nextBytes(bytes);
        Path local = Files.write(agent.dir().resolve("big.bin"), bytes);
        Path remote = agent.dir().resolve("remote.bin");
        ConsoleRun put = ConsoleRun.run(agent.dir(), "", "put", "--host", agent.address(), "--key",
                agent.keyFile().toString(), local.toString(), remote.toString());
        assertEquals(0, put.status(), put.err());
        Path back = Files.createDirectory(agent.dir().resolve("back"));
        ConsoleRun get = ConsoleRun.run(agent.dir(), "", "get", "--host", agent.address(), "--key",
                agent.keyFile().toString(), remote.toString(), back.toString());
        assertEquals(0, get.status(), get.err());
        assertArrayEquals(bytes, Files.readAllBytes(back.resolve("remote.bin")));
    }
}
