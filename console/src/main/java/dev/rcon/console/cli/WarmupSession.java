package dev.rcon.console.cli;

import dev.rcon.common.auth.AgentHandshake;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.auth.HostKeys;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.concurrent.Threads;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Hello;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Started;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import dev.rcon.console.io.ConsoleIO;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One one-shot {@code true} as a run makes it, against a stand-in agent on a loopback port of
 * its own, for {@code rcon warmup}: the key file, the socket, the handshake, the session's reader
 * and the command's output path then load while the launcher records its class list, and come
 * from the archive at every later start (about 20 ms of a one-shot, bench/README.md). The stand-in
 * speaks just enough of rcon/1 for one command; it accepts one connection and authenticates it
 * with a key made for this run alone, so nothing else can use it.
 */
final class WarmupSession {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private WarmupSession() {
    }

    static void run(ConsoleIO system, SecureRandom random) throws Exception {
        ConsoleIO quiet = new ConsoleIO(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), false, false, system.env(), system.home(), system.interrupts());
        Path dir = Files.createTempDirectory("rcon-warmup-");
        Path keyFile = dir.resolve("key");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Key fleet = Key.generate(random, "warmup");
            KeyFiles.writeKey(keyFile, fleet, false);
            Target target = new Target(server.getInetAddress().getHostAddress(), server.getLocalPort());
            Key hostKey = HostKeys.derive(fleet, target.hostLabel());
            CompletableFuture<Void> agent = new CompletableFuture<>();
            Threads.start("warmup-agent", () -> {
                try {
                    standIn(server, hostKey, random);
                    agent.complete(null);
                } catch (IOException | RuntimeException e) {
                    agent.completeExceptionally(e);
                }
            });
            try (RconClient client = RconClient.connect(target, KeyFiles.readKey(keyFile), TIMEOUT)) {
                OneShot.run(client, new ExecRequest("true", null, null, null, null, false), quiet,
                        new PrintWriter(OutputStream.nullOutputStream()));
            }
            agent.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Serves one session: hello, then one command that prints a byte and exits 0, then close. A
     * console without this run's key is denied as an agent denies it, and served nothing.
     */
    static void standIn(ServerSocket server, Key key, SecureRandom random) throws IOException {
        server.setSoTimeout((int) TIMEOUT.toMillis());
        try (Socket socket = server.accept()) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            MessageCodec codec = MessageCodec.shared();
            FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream()), codec);
            FrameWriter writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream()), codec);
            try {
                new AgentHandshake(kid -> Optional.of(key), random).run(reader, writer);
            } catch (AuthenticationException e) {
                AgentHandshake.deny(writer);
                throw e;
            }
            writer.send(new Hello("warmup", "localhost", "warmup", "warmup", 1));
            for (Message m = reader.receive(); !(m instanceof Close); m = reader.receive()) {
                if (m instanceof Exec exec) {
                    writer.send(new Started(exec.id(), 0));
                    writer.send(new Stdout(exec.id(), new byte[1]));
                    writer.send(new Exit(exec.id(), 0, null, false, 0, 1, 0));
                }
            }
            writer.send(new Close());
        }
    }
}
