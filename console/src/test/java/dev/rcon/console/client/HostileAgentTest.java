package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.ErrorReply;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Started;
import dev.rcon.common.wire.ErrorCode;
import dev.rcon.console.testkit.ConsoleRun;
import dev.rcon.console.testkit.FakeAgent;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console against an agent that breaks RCON1.md (a compromised host): it ends the run with
 * one line naming the problem, and answers nothing that the spec says is never answered.
 */
@Timeout(60)
class HostileAgentTest {
    @TempDir
    Path dir;
    final Key fleet = TestKeys.fresh("tester");
    Path keyFile;

    @BeforeEach
    void keys() throws Exception {
        keyFile = TestKeys.keyFile(dir, fleet);
    }

    private ConsoleRun rcon(FakeAgent agent, String... command) {
        String[] args = new String[command.length + 5];
        args[0] = "--host";
        args[1] = agent.address();
        args[2] = "--key";
        args[3] = keyFile.toString();
        args[4] = "-n";
        System.arraycopy(command, 0, args, 5, command.length);
        return ConsoleRun.run(dir, "", args);
    }

    private static void assertOneLine(ConsoleRun r) {
        assertEquals(255, r.status(), r.err());
        assertTrue(r.err().endsWith("\n") && r.err().indexOf('\n') == r.err().length() - 1,
                "expected one line but got: " + r.err());
    }

    /** RCON1.md 3: "A failed tag ... closes the connection at once: a record that does not authenticate is never answered." */
    @Test
    void aRecordThatFailsAuthenticationIsNeverAnswered() throws Exception {
        AtomicInteger answered = new AtomicInteger(-2);
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.sendWithBadTag(new Started(1, 42));
            answered.set(peer.bytesUntilEof(10));
        })) {
            ConsoleRun r = rcon(agent, "true");
            agent.await();
            assertOneLine(r);
            assertTrue(r.err().contains("failed authentication"), r.err());
            assertEquals(0, answered.get(), "bytes the console sent after a record that failed its tag");
        }
    }

    /**
     * RCON1.md 4.1: "A window never exceeds 2^31-1 bytes; a window that would make it larger is
     * a protocol error": 2^31 itself (past an int), and 2^31-1 added to the credit already given.
     */
    @ParameterizedTest
    @ValueSource(longs = {2147483648L, 2147483647L})
    void aWindowPastTheMaximumIsAProtocolError(long bytes) throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.send(new Started(1, 42));
            peer.sendHeader("{\"type\":\"window\",\"id\":1,\"bytes\":" + bytes + "}");
            closed.set(peer.closedWithin(5));
            if (!closed.get()) {
                peer.send(new Exit(1, 0, null, false, 1, 0, 0));
                peer.closedWithin(5);
            }
        })) {
            ConsoleRun r = rcon(agent, "true");
            agent.await();
            assertTrue(closed.get(), "the console kept the session after a window of " + bytes + "; it exited "
                    + r.status() + " " + r.err());
            assertOneLine(r);
            assertTrue(r.err().contains("window"), r.err());
        }
    }

    /** RCON1.md 4: "id" is null when the error is about the session: every request fails with it. */
    @Test
    void anErrorAboutTheSessionEndsTheRunWithOneLine() throws Exception {
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.send(new ErrorReply(null, ErrorCode.INTERNAL, "the session is broken"));
            peer.closedWithin(10);
        })) {
            ConsoleRun r = rcon(agent, "true");
            agent.await();
            assertOneLine(r);
            assertTrue(r.err().contains("the session is broken"), r.err());
        }
    }
}
