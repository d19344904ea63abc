package dev.rcon.console.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.console.testkit.ConsoleRun;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stdin that the console releases before it exits: the JVM's exit waits about 300 ms for a
 * thread blocked in a native read, so a pump still reading an open pipe must be woken first.
 */
@Timeout(60)
class ReleasableInputTest {
    @RegisterExtension
    final AgentExtension extension = new AgentExtension();

    @TempDir
    Path tmp;

    /** A named pipe held open for writing, so that a read of it blocks until data or close. */
    private RandomAccessFile openPipe(Path fifo) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        return new RandomAccessFile(fifo.toFile(), "rw");
    }

    /** Waits (bounded) until a thread's top frames are a native read: it is blocked in the kernel. */
    private static void awaitBlockedInRead(Thread thread) {
        for (int i = 0; i < 5000; i++) {
            if (Arrays.stream(thread.getStackTrace()).limit(4).anyMatch(f -> f.isNativeMethod() && f.getMethodName().startsWith("read"))) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new AssertionError(thread.getName() + " never blocked in a read");
    }

    private static Thread named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + prefix + "*"));
    }

    @Test
    void readsAFileAsAFileInputStreamWould() throws IOException {
        Path file = Files.writeString(tmp.resolve("in"), "abc");
        try (ReleasableInput in = new ReleasableInput(new FileInputStream(file.toFile()))) {
            assertEquals(3, in.available());
            assertEquals('a', in.read());
            byte[] rest = new byte[8];
            assertEquals(0, in.read(rest, 0, 0));
            assertEquals(2, in.read(rest, 1, 7));
            assertArrayEquals("bc".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(rest, 1, 3));
            assertEquals(-1, in.read(rest));
            assertThrows(IndexOutOfBoundsException.class, () -> in.read(rest, 5, 4));
            in.close();
            in.close();
            assertEquals(0, in.available());
            assertThrows(ClosedChannelException.class, in::read);
        }
    }

    @Test
    void closeReleasesAThreadBlockedReadingAnOpenPipe() throws Exception {
        Path fifo = tmp.resolve("fifo");
        try (RandomAccessFile writer = openPipe(fifo)) {
            ReleasableInput in = new ReleasableInput(new FileInputStream(fifo.toFile()));
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    outcome.complete(in.read(new byte[16]));
                } catch (IOException e) {
                    outcome.complete(e);
                }
            }, "test-blocked-reader");
            reader.setDaemon(true);
            reader.start();
            awaitBlockedInRead(reader);
            in.close();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(reader.isAlive(), "the reader is still blocked after close");
            assertInstanceOf(ClosedChannelException.class, outcome.get());
        }
    }

    @Test
    void aOneShotsStdinPumpEndsWhenTheConsoleReleasesStdin() throws Exception {
        Path fifo = tmp.resolve("stdin");
        try (RandomAccessFile writer = openPipe(fifo)) {
            ReleasableInput stdin = new ReleasableInput(new FileInputStream(fifo.toFile()));
            int port = extension.get().port();
            CompletableFuture<ConsoleRun> run = CompletableFuture.supplyAsync(() -> ConsoleRun.run(extension.dir(), stdin,
                    Map.of(), "--host", "127.0.0.1:" + port, "--key", extension.keyFile().toString(), "--", "echo", "done"));
            ConsoleRun r = run.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.err());
            assertEquals("done\n", r.out());
            // The command has ended and its stdin is still open: the pump is left blocked in read.
            Thread pump = named("stdin-127.0.0.1:" + port);
            awaitBlockedInRead(pump);
            new ConsoleIO(stdin, System.out, System.err, false, false, Map.of(), tmp, h -> () -> { }).release();
            pump.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(pump.isAlive(), "the stdin pump still holds the exit");
        }
    }
}
