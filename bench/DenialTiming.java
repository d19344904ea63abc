import dev.rcon.agent.auth.AuthorizedKeys;
import dev.rcon.agent.config.AgentConfig;
import dev.rcon.agent.config.HostPort;
import dev.rcon.agent.net.Agent;
import dev.rcon.agent.net.Log;
import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyLine;
import dev.rcon.common.crypto.Crypto;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * V7 timing check (not a test: timing assertions are flaky). Denies handshakes against an
 * in-process agent on 127.0.0.1, alternating at random between an unknown kid and a known kid
 * with a wrong psk, and times each from M1 sent to the "denied" frame received. Prints the
 * median and mean of both and a Mann-Whitney z; |z| < 2 means no difference this can see.
 *
 * Run after `mvn -B -DskipTests package`:
 *   java --add-opens=java.base/java.io=ALL-UNNAMED -cp agent/target/rcon-agent.jar bench/DenialTiming.java [DENIALS_PER_KIND, default 8000]
 */
public final class DenialTiming {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        SecureRandom random = new SecureRandom();
        Key known = Key.generate(random, "known");
        Path dir = Files.createTempDirectory("rcon-denial-timing");
        Path keys = dir.resolve("authorized_keys");
        Files.writeString(keys, KeyLine.format(known) + "\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        // Penalties off: every denial here is deliberate.
        AgentConfig config = AgentConfig.defaults(List.of(new HostPort("127.0.0.1", 0)), keys)
                .withPenalty(100_000, Duration.ofMillis(100));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (Agent agent = new Agent(config, AuthorizedKeys.load(keys), new Log(quiet), quiet)) {
            int port = agent.start().get(0).getPort();
            Key wrongPsk = new Key(known.kid(), Key.generate(random, "x").psk(), "known");
            long[][] times = {new long[n], new long[n]};
            int[] done = {0, 0};
            for (int warm = 0; warm < 2000; warm++) {
                deny(port, warm % 2 == 0 ? wrongPsk : Key.generate(random, "warm"), random);
            }
            while (done[0] < n || done[1] < n) {
                int kind = done[0] == n ? 1 : done[1] == n ? 0 : random.nextInt(2);
                times[kind][done[kind]++] = deny(port, kind == 0 ? wrongPsk : Key.generate(random, "unknown"), random);
            }
            report("wrong psk", times[0]);
            report("unknown kid", times[1]);
            System.out.printf("Mann-Whitney z (unknown vs wrong psk): %.2f%n", mannWhitneyZ(times[1], times[0]));
        } finally {
            Files.delete(keys);
            Files.delete(dir);
        }
    }

    /** One denied handshake; nanoseconds from M1 written to the empty frame read. */
    private static long deny(int port, Key key, SecureRandom random) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] m0 = new byte[in.readInt()];
            in.readFully(m0);
            byte[] frame = ByteBuffer.allocate(4 + 117).putInt(117).put(m1(m0, key, random)).array();
            long start = System.nanoTime();
            out.write(frame);
            out.flush();
            int len = in.readInt();
            long took = System.nanoTime() - start;
            if (len != 0) {
                throw new IllegalStateException("expected the empty denied frame but got length " + len);
            }
            return took;
        }
    }

    /** M1 as RCON1.md section 2 defines it; Ec is random bytes, which the agent never reaches. */
    private static byte[] m1(byte[] m0, Key key, SecureRandom random) {
        byte[] tail = new byte[64];
        random.nextBytes(tail);
        byte[] m1 = ByteBuffer.allocate(117).put("RCON".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
                .put(key.kid()).put(tail).array();
        byte[] es = Crypto.extract(new byte[32], key.psk());
        byte[] proofKey = Crypto.expand(es, "rcon1 client proof".getBytes(StandardCharsets.US_ASCII), 32);
        byte[] proof = Crypto.hmac(proofKey, Crypto.sha256(m0, Arrays.copyOf(m1, 85)));
        System.arraycopy(proof, 0, m1, 85, 32);
        return m1;
    }

    private static void report(String what, long[] t) {
        long[] sorted = t.clone();
        Arrays.sort(sorted);
        System.out.printf("%-12s n=%d median %.2f us, mean %.2f us%n", what, t.length, sorted[t.length / 2] / 1000.0,
                Arrays.stream(t).average().orElse(0) / 1000.0);
    }

    /** Normal approximation of the Mann-Whitney U statistic (ties broken arbitrarily). */
    private static double mannWhitneyZ(long[] a, long[] b) {
        long[][] all = new long[a.length + b.length][];
        for (int i = 0; i < a.length; i++) {
            all[i] = new long[] {a[i], 0};
        }
        for (int i = 0; i < b.length; i++) {
            all[a.length + i] = new long[] {b[i], 1};
        }
        Arrays.sort(all, (x, y) -> Long.compare(x[0], y[0]));
        double rankSumA = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i][1] == 0) {
                rankSumA += i + 1;
            }
        }
        double n1 = a.length;
        double n2 = b.length;
        double u = rankSumA - n1 * (n1 + 1) / 2;
        return (u - n1 * n2 / 2) / Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
    }
}
