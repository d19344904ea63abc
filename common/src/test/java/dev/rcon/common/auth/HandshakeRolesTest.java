package dev.rcon.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rcon.common.msg.Message;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Ping;
import dev.rcon.common.wire.FrameReader;
import dev.rcon.common.wire.FrameWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both roles against each other over a real loopback socket. */
@Timeout(20)
class HandshakeRolesTest {
    private final SecureRandom random = new SecureRandom();
    private final MessageCodec codec = MessageCodec.shared();
    private final Key good = Key.generate(random, "good");

    private CompletableFuture<AgentHandshake.Result> agent(ServerSocket server, KeyLookup keys) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                FrameReader r = new FrameReader(s.getInputStream(), codec);
                FrameWriter w = new FrameWriter(s.getOutputStream(), codec);
                AgentHandshake.Result result;
                try {
                    result = new AgentHandshake(keys, random).run(r, w);
                } catch (AuthenticationException e) {
                    AgentHandshake.deny(w);
                    throw e;
                }
                w.send(r.receive());
                return result;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private SessionKeys console(ServerSocket server, Key key) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            FrameReader r = new FrameReader(s.getInputStream(), codec);
            FrameWriter w = new FrameWriter(s.getOutputStream(), codec);
            SessionKeys keys = new ClientHandshake(key, random).run(r, w);
            w.send(new Ping(9));
            Message echoed = r.receive();
            assertEquals(new Ping(9), echoed);
            return keys;
        }
    }

    @Test
    void rightKeyAgreesOnSessionAndRecordsFlowBothWays() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var agent = agent(server, kid -> good.sameKid(kid) ? Optional.of(good) : Optional.empty());
            SessionKeys keys = console(server, good);
            AgentHandshake.Result result = agent.get(10, TimeUnit.SECONDS);
            assertEquals(keys.sessionId(), result.sessionKeys().sessionId());
            assertEquals("good", result.key().name());
        }
    }

    @Test
    void wrongPskAndUnknownKidAreDeniedAlike() throws Exception {
        Key wrongPsk = new Key(good.kid(), Key.generate(random, "x").psk(), "good");
        Key unknown = Key.generate(random, "stranger");
        for (Key attempt : new Key[] {wrongPsk, unknown}) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                var agent = agent(server, kid -> good.sameKid(kid) ? Optional.of(good) : Optional.empty());
                AuthenticationException e = assertThrows(AuthenticationException.class, () -> console(server, attempt));
                assertEquals("denied: the agent does not accept key '" + attempt.name() + "'", e.getMessage());
                ExecutionException failed = assertThrows(ExecutionException.class, () -> agent.get(10, TimeUnit.SECONDS));
                assertEquals("the proof did not check out (unknown key or wrong psk)", failed.getCause().getMessage());
            }
        }
    }
}
