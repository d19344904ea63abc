package dev.rcon.agent.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.ConfigFile;
import dev.rcon.agent.net.Agent;
import dev.rcon.agent.net.Log;
import dev.rcon.common.auth.ClientHandshake;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.files.FileErrors;
import dev.rcon.common.json.JsonValues;
import dev.rcon.common.msg.Close;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.Exit;
import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import dev.rcon.common.wire.ProtocolException;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code Training DIR}: the work whose classes {@link ClassArchive} records. An agent configured
 * from a file, as the unit's is, serves one session on a loopback port of its own: a console
 * authenticates, runs one shell command that writes to stdout and stderr and exits non-zero, and
 * closes. The key is made for this run, its files live in DIR (a private directory the caller
 * removes), and a stranger who connects first is denied as by any agent.
 */
public final class Training {
    /** Bounds every read of the session: a training that stalls fails instead of holding up the unit's start. */
    private static final int READ_TIMEOUT_MS = 30_000;
    static final String COMMAND = "echo out; echo err >&2; exit 3";
    /** The largest value the limits on handshakes and penalties take. */
    private static final int UNLIMITED = 100_000;

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("rcon-agent: expected DIR (a private directory for the training's files) but got "
                    + args.length + " arguments");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), new SecureRandom());
        } catch (IOException | RuntimeException e) {
            // The last line is what ClassArchive reports: one line naming the problem, no stack trace.
            System.err.println("rcon-agent: " + (e instanceof IOException io ? FileErrors.message(io) : e.toString()));
            System.exit(1);
        }
        System.exit(0);
    }

    /** Serves the one session; throws when it did not go as a real one does. */
    static void run(Path dir, SecureRandom random) throws IOException {
        run(dir, random, address -> { });
    }

    /**
     * As {@link #run(Path, SecureRandom)}, calling {@code connected} with the agent's address once
     * the console is connected and before it authenticates: where a test floods the port.
     */
    static void run(Path dir, SecureRandom random, Consumer<InetSocketAddress> connected) throws IOException {
        Key key = Key.generate(random, "training");
        Path keys = dir.resolve("authorized_keys");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, KeyLine.format(key) + "\n");
        Path config = dir.resolve("agent.json");
        try (JsonGenerator g = new JsonFactory().createGenerator(Files.newBufferedWriter(config))) {
            // A local user who floods the port while the session authenticates must not have the
            // agent drop its handshake for theirs (the limits share out handshakes by source, and
            // the console's source, 127.0.0.1, is theirs too) nor penalise 127.0.0.1: no limit
            // here is reached before the flood runs out of descriptors.
            JsonValues.write(g, Map.of("listen", List.of("127.0.0.1:0"), "authorized_keys", keys.toString(),
                    "audit_file", dir.resolve("audit.jsonl").toString(),
                    AgentConfig.MAX_UNAUTHENTICATED.key(), UNLIMITED, AgentConfig.MAX_UNAUTHENTICATED_PER_PEER.key(), UNLIMITED,
                    AgentConfig.MAX_UNAUTHENTICATED_PER_NETWORK.key(), UNLIMITED,
                    AgentConfig.PENALTY_FAILURES.key(), UNLIMITED));
        }
        AgentConfig settings = ConfigFile.read(config);
        try (Agent agent = new Agent(settings, AuthorizedKeys.load(settings.authorizedKeys()), new Log(System.err),
                new PrintStream(OutputStream.nullOutputStream()))) {
            InetSocketAddress address = agent.start().get(0);
            session(address, key, random, connected);
        }
    }

    private static void session(InetSocketAddress address, Key key, SecureRandom random,
            Consumer<InetSocketAddress> connected) throws IOException {
        try {
            exchange(address, key, random, connected);
        } catch (IOException e) {
            throw new IOException("the training's own session on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + " failed: " + FileErrors.message(e), e);
        }
    }

    private static void exchange(InetSocketAddress address, Key key, SecureRandom random,
            Consumer<InetSocketAddress> connected) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            connected.accept(address);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            MessageCodec codec = MessageCodec.shared();
            FrameReader reader = new FrameReader(socket.getInputStream(), codec);
            FrameWriter writer = new FrameWriter(new BufferedOutputStream(socket.getOutputStream()), codec);
            new ClientHandshake(key, random).run(reader, writer);
            writer.send(new Exec(1, COMMAND, null, null, null, null, false, null));
            Message m = reader.receive();
            while (!(m instanceof Exit)) {
                m = reader.receive();
            }
            Exit exit = (Exit) m;
            if (exit.code() == null || exit.code() != 3) {
                throw new ProtocolException("expected the training command's exit 3 but got " + exit);
            }
            writer.send(new Close());
            try {
                while (!(reader.receive() instanceof Close)) {
                    // Whatever else the agent sends before its close is part of the training too.
                }
            } catch (EOFException e) {
                // The agent may hang up once it has sent its close.
            }
        }
    }
}
