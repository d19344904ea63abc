package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.msg.Exit;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * -b keeps the hosts' output in the console's memory until the run ends: bounded for all hosts
 * together, not only per host (1000 hosts of `dmesg` ran a console out of heap), with the same
 * output held once however many hosts printed it.
 */
@Timeout(60)
class GatherBudgetTest {
    private static final int MIB = 1 << 20;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<HostResult> results = new ArrayList<>();

    private GatherOutput gather(long budget) {
        return new GatherOutput(new Screen(out, err, false), budget);
    }

    private void host(GatherOutput gather, String host, byte[] stdout) {
        for (int off = 0; off < stdout.length; off += 64 << 10) {
            gather.stdout(host, Arrays.copyOfRange(stdout, off, Math.min(stdout.length, off + (64 << 10))));
        }
        HostResult result = new HostResult(host, Outcome.OK, new Exit(1, 0, null, false, 1, stdout.length, 0), 1, null);
        gather.done(result);
        results.add(result);
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        b[size - 1] = '\n';
        return b;
    }

    @Test
    void manyHostsPrintingTheSameOutputHoldOneCopyOfIt() throws Exception {
        GatherOutput gather = gather(2 * MIB);
        // 64 MiB printed in all, 1 MiB of it different.
        for (int i = 0; i < 64; i++) {
            host(gather, "web" + i, filled(MIB, 'a'));
        }
        gather.finish(new Summary(results, 1));
        assertEquals("web[0-63] (64)", out.toString(UTF_8).lines().skip(1).findFirst().orElseThrow());
        // Two rules of 16 dashes around the title, then the output whole.
        assertEquals(2 * 17 + "web[0-63] (64)\n".length() + MIB, out.size(), "the output was cut");
        assertEquals("", err.toString(UTF_8));
    }

    @Test
    void outputBeyondTheBudgetIsCutMarkedAndTheRunSaysHowToKeepItAll() throws Exception {
        GatherOutput gather = gather(2 * MIB);
        host(gather, "a", filled(3 * MIB / 2, 'a'));
        host(gather, "b", filled(3 * MIB / 2, 'b'));
        host(gather, "c", filled(3 * MIB / 2, 'c'));
        gather.finish(new Summary(results, 1));
        List<String> titles = out.toString(UTF_8).lines().filter(l -> l.matches("[abc] \\(1\\).*")).toList();
        assertEquals(List.of("a (1)", "b (1) output cut", "c (1) output cut"), titles);
        assertTrue(out.size() < 2 * MIB + 1024, "kept " + out.size() + " bytes");
        assertEquals("rcon: -b keeps at most 2 MiB of output for all hosts together (a quarter of the console's heap),"
                + " and cut the rest: --outdir DIR keeps every host's whole output\n", err.toString(UTF_8));
    }

    @Test
    void groupsAreInTheOrderTheHostsWereGivenWhateverOrderTheyEndedIn() throws Exception {
        GatherOutput gather = gather(MIB);
        // Given as x, y; y ends first.
        host(gather, "y", "two\n".getBytes(UTF_8));
        host(gather, "x", "one\n".getBytes(UTF_8));
        gather.finish(new Summary(List.of(results.get(1), results.get(0)), 1));
        List<String> titles = out.toString(UTF_8).lines().filter(l -> l.matches("[xy] \\(1\\)")).toList();
        assertEquals(List.of("x (1)", "y (1)"), titles);
    }
}
