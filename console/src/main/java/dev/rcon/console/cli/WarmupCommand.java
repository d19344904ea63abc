package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.crypto.X25519Pair;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Stdout;
import dev.rcon.console.io.ExitCodes;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rcon warmup} (hidden): loads the classes a run needs (codec, X25519, HKDF, AES-GCM, then
 * a whole one-shot against a stand-in agent on loopback, {@link WarmupSession}), so that bin/rcon
 * can record them once in a class-data-sharing archive and start every later run from it.
 */
@Command(name = "warmup", hidden = true, description = "Load the classes a run needs, for the launcher's CDS archive.")
final class WarmupCommand implements Callable<Integer> {
    @ParentCommand
    RconCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SecureRandom random = new SecureRandom();
        // The session below loads all of this too; done first without the network, so that the
        // archive still holds the crypto and the codec when the stand-in session fails.
        Key key = Key.generate(random, "warmup");
        try (X25519Pair a = X25519Pair.generate(random); X25519Pair b = X25519Pair.generate(random)) {
            byte[] secret = a.agree(b.publicKey()).orElseThrow();
            byte[] prk = Crypto.extract(new byte[32], Crypto.hmac(key.psk(), secret));
            MessageCodec codec = MessageCodec.shared();
            RecordCipher seal = new RecordCipher(Crypto.expand(prk, new byte[1], 32), new byte[12]);
            RecordCipher open = new RecordCipher(Crypto.expand(prk, new byte[1], 32), new byte[12]);
            byte[] header = codec.encode(Exec.shell(1, "true"));
            byte[] sealed = seal.seal(header);
            open.open(java.util.Arrays.copyOfRange(sealed, 4, sealed.length));
            codec.decode(header, new byte[0]);
            codec.decode(codec.encode(new Stdout(1, new byte[1])), new byte[1]);
        }
        try {
            WarmupSession.run(parent.io(), random, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        } catch (Exception e) {
            // Still worth an archive of what loaded so far; the launcher discards this line.
            spec.commandLine().getErr().println("rcon warmup: the stand-in session failed: " + e);
        }
        return ExitCodes.OK;
    }
}
