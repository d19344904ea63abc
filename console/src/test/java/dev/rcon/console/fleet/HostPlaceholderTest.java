package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HostPlaceholderTest {
    private static final List<String> WEB01 = List.of("web01", "10.0.0.5", "web01.example.com");

    private static String replace(String text) {
        return new String(HostPlaceholder.replace(text.getBytes(UTF_8), WEB01), UTF_8);
    }

    @Test
    void theHostsNamesAreReplacedAsWholeWordsLongestFirst() {
        assertEquals("Welcome to {host}!", replace("Welcome to web01.example.com!"));
        assertEquals("{host} up; web010 no; xweb01 no; {host}.", replace("web01 up; web010 no; xweb01 no; web01."));
        assertEquals("addr {host} and 10.0.0.50", replace("addr 10.0.0.5 and 10.0.0.50"));
        assertEquals("web01.example.com.au", replace("web01.example.com.au"));
    }

    /**
     * At each host's end under -b: the regular expressions took a string copy, a doubling
     * builder and more copies, about six times the host's output, and 15 MB of syslog lines that
     * name the host ran a 64 MiB console out of memory (rcon -b, two hosts, -Xmx64m).
     */
    @Test
    void replacingTheNamesInAHostsOutputAllocatesAboutOneCopyOfIt() {
        byte[] line = "Dec  6 20:22:01 web01 systemd[1]: Started web01.example.com and 10.0.0.5.\n".getBytes(UTF_8);
        byte[] output = new byte[line.length * 100_000];
        for (int i = 0; i < output.length; i += line.length) {
            System.arraycopy(line, 0, output, i, line.length);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        byte[] replaced = HostPlaceholder.replace(output, WEB01);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals("Dec  6 20:22:01 {host} systemd[1]: Started {host} and {host}.\n",
                new String(replaced, 0, replaced.length / 100_000, UTF_8));
        // One array per name that occurs (three here), each of about the output's size.
        assertTrue(allocated < 3.5 * output.length, "allocated " + allocated + " bytes for " + output.length);
    }

    @Test
    void outputThatIsNotTextPassesThroughByteForByte() {
        byte[] binary = {(byte) 0xff, 'w', 'e', 'b', '0', '1', 0, (byte) 0xc3};
        byte[] expected = {(byte) 0xff, '{', 'h', 'o', 's', 't', '}', 0, (byte) 0xc3};
        assertArrayEquals(expected, HostPlaceholder.replace(binary, WEB01));
        byte[] untouched = {(byte) 0xfe, 1, 2};
        assertArrayEquals(untouched, HostPlaceholder.replace(untouched, WEB01));
    }
}
