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
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
 * speaks just enough of rcon/1 for one command, and only to a console holding the key made for
 * this run alone; anyone else is denied.
 */
final class WarmupSession {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a connection may take to authenticate before the stand-in takes the next. */
    private static final Duration STRANGER = Duration.ofSeconds(2);

    private WarmupSession() {
    }

    /** Runs the one-shot; its key file lives in a new 0700 directory under {@code tmp} until the end. */
    static void run(ConsoleIO system, SecureRandom random, Path tmp) throws Exception {
        ConsoleIO quiet = new ConsoleIO(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream(), false, false, system.env(), system.home(), system.interrupts());
        Path dir = Files.createTempDirectory(tmp, "rcon-warmup-");
        Path keyFile = dir.resolve("key");
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Key fleet = Key.generate(random, "warmup");
            KeyFiles.writeKey(keyFile, fleet, false);
            Target target = new Target(server.getInetAddress().getHostAddress(), server.getLocalPort());
            Key hostKey = HostKeys.derive(fleet, target.hostLabel());
            CompletableFuture<Void> agent = new CompletableFuture<>();
            Threads.start("warmup-agent", () -> {
                try {
                    serve(server, hostKey, random, System.nanoTime() + TIMEOUT.toNanos());
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
            try {
                Files.deleteIfExists(keyFile);
            } finally {
                Files.deleteIfExists(dir);
            }
        }
    }

    /**
     * Serves connections until one authenticates with {@code key} and its session ends, or until
     * {@code deadline}. A local user who connects first is denied and the next connection taken,
     * so a stranger can only delay the warmup, by at most {@link #STRANGER} each.
     */
    static void serve(ServerSocket server, Key key, SecureRandom random, long deadline) throws IOException {
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no console authenticated within " + TIMEOUT.toSeconds() + " s");
            }
            server.setSoTimeout((int) left);
            try (Socket socket = server.accept()) {
                socket.setSoTimeout((int) STRANGER.toMillis());
                MessageCodec codec = MessageCodec.shared();
                FrameReader reader = new FrameReader(socket.getInputStream(), codec);
                FrameWriter writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream()), codec);
                if (authenticated(reader, writer, key, random)) {
                    socket.setSoTimeout((int) TIMEOUT.toMillis());
                    session(reader, writer);
                    return;
                }
            }
        }
    }

    /** Whether the peer proved {@code key}; anyone else is denied as an agent denies, or dropped. */
    private static boolean authenticated(FrameReader reader, FrameWriter writer, Key key, SecureRandom random) {
        try {
            new AgentHandshake(kid -> Optional.of(key), random).run(reader, writer);
            return true;
        } catch (AuthenticationException e) {
            try {
                AgentHandshake.deny(writer);
            } catch (IOException gone) {
                // Denied either way.
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** One session: hello, then each command prints a byte and exits 0, until close. */
    private static void session(FrameReader reader, FrameWriter writer) throws IOException {
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
