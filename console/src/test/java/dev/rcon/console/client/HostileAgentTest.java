package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
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

    /** {@code rcon get /etc/motd LOCAL} from {@code agent}. */
    private ConsoleRun get(FakeAgent agent, Path local) {
        return ConsoleRun.run(dir, "", "get", "--host", agent.address(), "--key", keyFile.toString(), "/etc/motd",
                local.toString());
    }

    private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
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
     * a protocol error": 2^31 itself (past an int), 2^31-1 added to the credit already given, and
     * a grant past what a long holds (which the console dropped as a bad record).
     */
    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "2147483647", "99999999999999999999"})
    void aWindowPastTheMaximumIsAProtocolError(String bytes) throws Exception {
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

    /**
     * RCON1.md 4: "Agent -> console, in this order: started once, then any number of
     * stdout/stderr records ..., then exit once". Output before started, a second started, or an
     * exit before started break that order: the console ends the session with one line, and
     * passes nothing of the out-of-order output on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stdout", "stderr", "second started", "exit"})
    void recordsOfACommandOutOfTheSpecsOrderEndTheSession(String first) throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            byte[] early = "early\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            switch (first) {
                case "stdout" -> peer.send(new dev.rcon.common.msg.Stdout(1, early));
                case "stderr" -> peer.send(new dev.rcon.common.msg.Stderr(1, early));
                case "second started" -> {
                    peer.send(new Started(1, 42));
                    peer.send(new Started(1, 43));
                }
                default -> peer.send(new Exit(1, 0, null, false, 1, 0, 0));
            }
            closed.set(peer.closedWithin(5));
            if (!closed.get()) {
                peer.send(new Started(1, 42));
                peer.send(new Exit(1, 0, null, false, 1, 0, 0));
                peer.closedWithin(5);
            }
        })) {
            ConsoleRun r = rcon(agent, "true");
            agent.await();
            assertTrue(closed.get(), "the console kept the session after " + first + " out of order; it exited "
                    + r.status() + " out=" + r.out() + " err=" + r.err());
            assertOneLine(r);
            assertTrue(r.err().contains("expected"), r.err());
            assertEquals("", r.out());
        }
    }

    /**
     * A record about a running command that the console cannot read (a field it does not know,
     * an error code not in RCON1.md 4's list) was skipped as if it concerned no request: output
     * was lost without a word and the command still exited 0, and an error the console could
     * not read left the command waiting until the session ended. Now it fails that command,
     * naming what could not be read; one about no request of ours is still skipped.
     */
    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"stdout\",\"id\":1,\"colour\":\"red\"}",
            "{\"type\":\"error\",\"id\":1,\"code\":\"teapot\",\"message\":\"short and stout\"}"})
    void aRecordAboutARunningCommandThatCannotBeReadFailsTheCommand(String header) throws Exception {
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(Exec.class, peer.receive());
            peer.sendHeader("{\"type\":\"stdout\",\"id\":99,\"colour\":\"red\"}");
            peer.send(new Started(1, 42));
            peer.sendHeader(header);
            if (!peer.closedWithin(5)) {
                peer.send(new Exit(1, 0, null, false, 1, 0, 0));
                peer.closedWithin(20);
            }
        })) {
            ConsoleRun r = rcon(agent, "true");
            agent.await();
            assertOneLine(r);
            assertTrue(r.err().contains("cannot read the agent's record"), r.err());
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

    /**
     * An agent that stops reading and sends pings until the console's pongs fill the connection:
     * the console's writer blocks for good, and closing the session (~. on a terminal, the end of
     * any command) must not wait on it.
     */
    @Test
    void closingASessionWithAnAgentThatStoppedReadingIsBounded() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            try {
                for (int id = 1; ; id = id % 1_000_000 + 1) {
                    peer.send(new dev.rcon.common.msg.Ping(id));
                    sent.incrementAndGet();
                }
            } catch (java.io.IOException closed) {
                // The console closed the socket at last.
            }
        })) {
            RconClient client = RconClient.connect(Target.parse(agent.address()), fleet, java.time.Duration.ofSeconds(10));
            assertTrue(stopsGrowing(sent), "the pings never filled the connection");
            Thread closing = dev.rcon.common.concurrent.Threads.start("closing", client::close);
            closing.join(10_000);
            assertFalse(closing.isAlive(), "close() still blocked on an agent that stopped reading");
        }
    }

    /** True once {@code count} has stayed put for a second: both directions of the connection are full. */
    private static boolean stopsGrowing(AtomicLong count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        long last = -1;
        int still = 0;
        while (System.nanoTime() < deadline && still < 5) {
            Thread.sleep(200);
            long now = count.get();
            still = now == last && now > 0 ? still + 1 : 0;
            last = now;
        }
        return still >= 5;
    }

    @Test
    void aSecondFileRecordCannotRaiseAGetsSizeMidWay() throws Exception {
        byte[] content = "12345678".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(dev.rcon.common.msg.Get.class, peer.receive());
            peer.send(new dev.rcon.common.msg.FileInfo(1, 4, "0644"));
            peer.send(dev.rcon.common.msg.Data.chunk(1, java.util.Arrays.copyOf(content, 4)));
            peer.send(new dev.rcon.common.msg.FileInfo(1, content.length, "0644"));
            peer.send(dev.rcon.common.msg.Data.chunk(1, java.util.Arrays.copyOfRange(content, 4, 8)));
            peer.send(new dev.rcon.common.msg.Done(1, content.length, sha256(content)));
            peer.closedWithin(10);
        })) {
            Path local = dir.resolve("grown");
            ConsoleRun r = get(agent, local);
            agent.await();
            assertEquals(255, r.status(), r.err());
            assertTrue(r.err().contains("the agent sent a second file record for get 1"), r.err());
            assertFalse(java.nio.file.Files.exists(local));
        }
    }

    /**
     * RCON1.md 4: a get is answered with {@code file} of size S, data, then {@code done} of the
     * same size S. A host whose done names fewer bytes than its file record (with their sha256)
     * must not leave a truncated file behind as if it were the whole one.
     */
    @Test
    void aDoneShorterThanTheFileRecordLeavesNoTruncatedFile() throws Exception {
        byte[] half = "1234".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(dev.rcon.common.msg.Get.class, peer.receive());
            peer.send(new dev.rcon.common.msg.FileInfo(1, 8, "0644"));
            peer.send(dev.rcon.common.msg.Data.chunk(1, half));
            peer.send(new dev.rcon.common.msg.Done(1, half.length, sha256(half)));
            peer.closedWithin(10);
        })) {
            Path local = dir.resolve("truncated");
            ConsoleRun r = get(agent, local);
            agent.await();
            assertEquals(255, r.status(), r.err());
            assertTrue(r.err().contains("the agent's file record said 8 bytes but its done says 4"), r.err());
            assertFalse(java.nio.file.Files.exists(local));
        }
    }

    /**
     * RCON1.md 4: a put is answered with done of "size":S and the sha256 of the file the console
     * sent. A done naming other bytes says the host wrote something else (or lies about it): the
     * put fails instead of printing the host's numbers as a success.
     */
    @Test
    void aPutsDoneThatNamesOtherBytesThanWereSentFailsThePut() throws Exception {
        Path local = dir.resolve("deploy.conf");
        java.nio.file.Files.writeString(local, "setting=1\n");
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(dev.rcon.common.msg.Put.class, peer.receive());
            dev.rcon.common.msg.Data data;
            do {
                data = (dev.rcon.common.msg.Data) peer.receive();
            } while (!data.isEof());
            peer.send(new dev.rcon.common.msg.Done(1, 4, "0".repeat(64)));
            peer.closedWithin(10);
        })) {
            ConsoleRun r = ConsoleRun.run(dir, "", "put", "--host", agent.address(), "--key", keyFile.toString(),
                    local.toString(), "/etc/deploy.conf");
            agent.await();
            assertEquals(255, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the agent's done names 4 bytes with sha256 " + "0".repeat(64)
                    + " but 10 bytes with sha256 "), r.err());
        }
    }

    /**
     * The put's done check above was skipped when done came while the console waited for the
     * agent's window: the put returned the host's numbers as a success. A host that takes the
     * first 4 MiB (W0) of a larger file, grants no more and answers done with the file's size and
     * any sha256 must not make the console report the put as done.
     */
    @Test
    void aPutsDoneThatComesBeforeTheWholeFileWasSentFailsThePut() throws Exception {
        Path local = dir.resolve("image.bin");
        int size = (4 << 20) + 100_000;
        java.nio.file.Files.write(local, new byte[size]);
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(dev.rcon.common.msg.Put.class, peer.receive());
            long received = 0;
            while (received < (4 << 20)) {
                received += ((dev.rcon.common.msg.Data) peer.receive()).payload().length;
            }
            peer.send(new dev.rcon.common.msg.Done(1, size, "0".repeat(64)));
            peer.closedWithin(10);
        })) {
            ConsoleRun r = ConsoleRun.run(dir, "", "put", "--host", agent.address(), "--key", keyFile.toString(),
                    local.toString(), "/var/tmp/image.bin");
            agent.await();
            assertEquals(255, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the agent's done came when 4194304 of the " + size + " bytes were sent"),
                    r.err());
        }
    }

    /**
     * A get's mode is the agent's word: a host that answers 0777 must not leave a file on the
     * operator's workstation that every local user may rewrite (a config the operator edits and
     * then puts to the whole fleet). The owner's bits and read and execute for others stay.
     */
    @Test
    void aGetNeverLeavesAFileThatGroupOrOthersMayWrite() throws Exception {
        byte[] content = "#!/bin/sh\necho hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FakeAgent agent = FakeAgent.start(fleet, peer -> {
            assertInstanceOf(dev.rcon.common.msg.Get.class, peer.receive());
            peer.send(new dev.rcon.common.msg.FileInfo(1, content.length, "0777"));
            peer.send(dev.rcon.common.msg.Data.chunk(1, content));
            peer.send(new dev.rcon.common.msg.Done(1, content.length, sha256(content)));
            peer.closedWithin(10);
        })) {
            Path local = dir.resolve("deploy.sh");
            ConsoleRun r = ConsoleRun.run(dir, "", "get", "--host", agent.address(), "--key", keyFile.toString(),
                    "/etc/deploy.sh", local.toString());
            agent.await();
            assertEquals(0, r.status(), r.err());
            assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(local)));
        }
    }
}
