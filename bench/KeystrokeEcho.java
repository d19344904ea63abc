import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.msg.Pty;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.OutputListener;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.RemoteCommand;
import dev.rcon.console.client.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keystroke echo round trip on a remote terminal: one byte typed, the time until the remote
 * program's echo of it is back. The remote program is cat on a raw terminal (as an editor or a
 * shell's line editor echoes), so each sample crosses console, agent, terminal, process and back.
 * Run by bench/keystroke-echo.sh: java -cp console/target/rcon.jar bench/KeystrokeEcho.java
 * HOST:PORT KEYFILE [SAMPLES].
 */
public final class KeystrokeEcho {
    public static void main(String[] args) throws Exception {
        Target target = Target.parse(args[0]);
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        BlockingQueue<byte[]> echoes = new ArrayBlockingQueue<>(1024);
        OutputListener listener = new OutputListener() {
            @Override
            public void stdout(byte[] bytes) throws java.io.IOException {
                echoes.add(bytes);
            }

            @Override
            public void stderr(byte[] bytes) {
            }
        };
        try (RconClient client = RconClient.connect(target, KeyFiles.readKey(Path.of(args[1])), Duration.ofSeconds(10))) {
            ExecRequest request = ExecRequest.shell("stty raw -echo; echo ready; exec cat")
                    .onTerminal(new Pty("xterm", 80, 24));
            RemoteCommand cat = client.exec(request, listener);
            awaitText(echoes, "ready");
            long[] nanos = new long[samples];
            int warmup = Math.min(500, samples);
            for (int i = -warmup; i < samples; i++) {
                byte key = (byte) ('a' + Math.floorMod(i, 26));
                long start = System.nanoTime();
                cat.stdin(new byte[] {key});
                byte[] echo = echoes.poll(10, TimeUnit.SECONDS);
                long took = System.nanoTime() - start;
                if (echo == null || echo.length != 1 || echo[0] != key) {
                    throw new IllegalStateException("expected the echo of '" + (char) key + "' but got "
                            + (echo == null ? "nothing" : Arrays.toString(echo)));
                }
                if (i >= 0) {
                    nanos[i] = took;
                }
            }
            cat.closeStdin();
            Arrays.sort(nanos);
            System.out.printf("keystroke echo round trip over %d keystrokes: median %.3f ms, p90 %.3f ms,"
                    + " p99 %.3f ms, max %.3f ms (goal: median <= 2 ms)%n", samples, ms(nanos, 0.5), ms(nanos, 0.9),
                    ms(nanos, 0.99), nanos[samples - 1] / 1e6);
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static void awaitText(BlockingQueue<byte[]> in, String text) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(text) < 0) {
            byte[] b = in.poll(10, TimeUnit.SECONDS);
            if (b == null) {
                throw new IllegalStateException("the remote cat never said '" + text + "': " + seen);
            }
            seen.append(new String(b, StandardCharsets.UTF_8));
        }
        // What the terminal sends after "ready" (its line end) must not count as an echo.
        while (in.poll(200, TimeUnit.MILLISECONDS) != null) {
            continue;
        }
    }
}
