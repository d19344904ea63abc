import dev.rcon.common.auth.KeyFiles;
import dev.rcon.console.client.ExecRequest;
import dev.rcon.console.client.OutputListener;
import dev.rcon.console.client.RconClient;
import dev.rcon.console.client.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Warm latency: one session, then N x {@code true} one after another, each timed from the exec
 * request to its exit. Prints the median and the 90th percentile in milliseconds.
 *
 *   java -cp console/target/rcon.jar bench/WarmSession.java HOST:PORT KEYFILE [N] [COMMAND]
 */
public final class WarmSession {
    public static void main(String[] args) throws Exception {
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        String command = args.length > 3 ? args[3] : "true";
        try (RconClient client = RconClient.connect(Target.parse(args[0]), KeyFiles.readKey(Path.of(args[1])),
                Duration.ofSeconds(10))) {
            double[] ms = new double[n];
            double[] toStart = new double[n];
            for (int i = -50; i < n; i++) {
                long start = System.nanoTime();
                long[] started = new long[1];
                client.exec(ExecRequest.shell(command), new OutputListener() {
                    @Override
                    public void started(long pid) {
                        started[0] = System.nanoTime();
                    }

                    @Override
                    public void stdout(byte[] bytes) {
                    }

                    @Override
                    public void stderr(byte[] bytes) {
                    }
                }).await();
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    toStart[i] = (started[0] - start) / 1e6;
                }
            }
            Arrays.sort(ms);
            Arrays.sort(toStart);
            System.out.printf("warm '%s' x %d: median %.2f ms (started after %.2f ms), p90 %.2f ms%n", command, n,
                    ms[n / 2], toStart[n / 2], ms[n * 9 / 10]);
        }
    }
}
