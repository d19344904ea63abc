package dev.rcon.console.term;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EscapeFilterTest {
    /** What typing {@code keys} in chunks of {@code chunk} bytes sends, with H for help and D for disconnect. */
    private static String typed(int escape, String keys, int chunk) throws Exception {
        EscapeFilter filter = new EscapeFilter(escape);
        StringBuilder seen = new StringBuilder();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        EscapeFilter.Sink sink = new EscapeFilter.Sink() {
            @Override
            public void send(byte[] bytes) {
                seen.append(new String(bytes, ISO_8859_1));
            }

            @Override
            public void help() {
                seen.append("<H>");
            }

            @Override
            public void disconnect() {
                seen.append("<D>");
            }

            @Override
            public void suspend() {
                seen.append("<Z>");
            }
        };
        byte[] bytes = keys.getBytes(ISO_8859_1);
        for (int off = 0; off < bytes.length; off += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + chunk));
            filter.feed(part, part.length, sink);
        }
        sent.writeBytes(seen.toString().getBytes(ISO_8859_1));
        return sent.toString(ISO_8859_1);
    }

    @Test
    void escapesWorkOnlyAtTheStartOfALine() throws Exception {
        for (int chunk : new int[] {1, 3, 100}) {
            assertEquals("<D>", typed('~', "~.", chunk));
            assertEquals("ls\r<D>", typed('~', "ls\r~.after", chunk));
            assertEquals("a~.b", typed('~', "a~.b", chunk));
            assertEquals("x\n<H>~y", typed('~', "x\n~?~~y", chunk));
            assertEquals("~x~", typed('~', "~x~", chunk));
        }
    }

    @Test
    void escapeCtrlZSuspendsAtTheStartOfALineAndTheNextEscapeWorksAtOnce() throws Exception {
        for (int chunk : new int[] {1, 3, 100}) {
            assertEquals("ls\r<Z><D>", typed('~', "ls\r~\u001a~.", chunk));
            assertEquals("a~\u001a", typed('~', "a~\u001a", chunk));
        }
        // Ctrl-Z as the escape character: typing it twice sends one, as for any other.
        assertEquals("\u001a", typed(0x1a, "\u001a\u001a", 1));
    }

    @Test
    void twoEscapeCharactersSendOneAndEndTheLineStart() throws Exception {
        assertEquals("~.", typed('~', "~~.", 1));
    }

    @Test
    void noEscapeCharacterSendsEverything() throws Exception {
        assertEquals("~.~?\r~.", typed(EscapeFilter.NONE, "~.~?\r~.", 2));
    }

    @Test
    void anOptionNamesTheEscapeCharacter() {
        assertEquals('%', RemoteTerminal.escapeCharacter("%"));
        assertEquals(0x1d, RemoteTerminal.escapeCharacter("^]"));
        assertEquals(EscapeFilter.NONE, RemoteTerminal.escapeCharacter("none"));
        assertEquals("-e takes one character, ^X or none, but was 'ab'",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> RemoteTerminal.escapeCharacter("ab")).getMessage());
    }
}
