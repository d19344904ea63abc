package dev.rcon.console.client;

import dev.rcon.common.crypto.Crypto;
import dev.rcon.common.crypto.RecordCipher;
import dev.rcon.common.crypto.X25519Pair;
import dev.rcon.common.msg.Exec;
import dev.rcon.common.msg.MessageCodec;
import dev.rcon.common.msg.Stdout;
import dev.rcon.common.wire.ProtocolException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Loads and initialises what a session needs (the JDK's provider list and AES tables,
 * BouncyCastle's registrar, X25519, the header codec) by running each step once on throwaway
 * inputs. A console that will connect does it on a thread of its own while its main thread
 * parses the command line: at a cold start both run mostly in the interpreter, and done in line
 * this work came after picocli's (about 45 ms of a one-shot; bench/README.md).
 */
public final class SessionPreload {
    private SessionPreload() {
    }

    /**
     * Starts {@link #run} on a daemon thread, which never holds up the console's exit. A failure
     * there is not reported: the session meets the same one and says what it is.
     */
    public static Thread start() {
        Thread thread = new Thread(SessionPreload::run, "rcon-preload");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> { });
        thread.start();
        return thread;
    }

    /** The handshake's and the records' steps, once, on the calling thread. */
    public static void run() {
        // The codec first: the main thread checks the command's request with it before it
        // connects, and needs the handshake's cryptography only after.
        MessageCodec codec = MessageCodec.shared();
        byte[] header = codec.encode(Exec.shell(1, "true"));
        try {
            codec.decode(header, new byte[0]);
            codec.decode(codec.encode(new Stdout(1, new byte[1])), new byte[1]);
        } catch (ProtocolException e) {
            throw new IllegalStateException("a header encoded here did not decode here", e);
        }
        SecureRandom random = new SecureRandom();
        try (X25519Pair a = X25519Pair.generate(random); X25519Pair b = X25519Pair.generate(random)) {
            byte[] secret = a.agree(b.publicKey()).orElseThrow();
            byte[] prk = Crypto.extract(new byte[Crypto.HASH_LEN], Crypto.hmac(secret, Crypto.sha256(secret)));
            byte[] recordKey = Crypto.expand(prk, new byte[1], 32);
            byte[] sealed = new RecordCipher(recordKey, new byte[12]).seal(header);
            new RecordCipher(recordKey, new byte[12]).open(Arrays.copyOfRange(sealed, 4, sealed.length));
        } catch (ProtocolException e) {
            throw new IllegalStateException("a record sealed here did not open here", e);
        }
    }
}
