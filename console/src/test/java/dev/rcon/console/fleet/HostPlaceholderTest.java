package dev.rcon.console.fleet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void outputThatIsNotTextPassesThroughByteForByte() {
        byte[] binary = {(byte) 0xff, 'w', 'e', 'b', '0', '1', 0, (byte) 0xc3};
        byte[] expected = {(byte) 0xff, '{', 'h', 'o', 's', 't', '}', 0, (byte) 0xc3};
        assertArrayEquals(expected, HostPlaceholder.replace(binary, WEB01));
        byte[] untouched = {(byte) 0xfe, 1, 2};
        assertArrayEquals(untouched, HostPlaceholder.replace(untouched, WEB01));
    }
}
