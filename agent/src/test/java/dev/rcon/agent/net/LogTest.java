package dev.rcon.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.msg.Exec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** V10: nothing a peer sends can split, forge or disguise a line of the agent's log. */
@Timeout(60)
class LogTest {
    @TempDir
    Path dir;

    @Test
    void controlFormatAndSeparatorCharactersAreEscaped() {
        assertEquals("a\\u000Ab\\u000D\\u0009c", Log.escape("a\nb\r\tc"), "controls (Cc)");
        assertEquals("\\u0000\\u001B[31m\\u007F\\u0085\\u009B", Log.escape("\u0000\u001b[31m\u007f\u0085\u009b"), "C0, DEL, C1");
        assertEquals("x\\u2028y\\u2029z", Log.escape("x\u2028y\u2029z"), "line and paragraph separators (Zl, Zp)");
        assertEquals("evil\\u202Etxt.exe", Log.escape("evil\u202etxt.exe"), "right-to-left override (Cf)");
        assertEquals("\\u200B\\u200D\\u2066\\u00AD\\uFEFF", Log.escape("\u200b\u200d\u2066\u00ad\ufeff"), "invisible format characters");
        assertEquals("\\uDB40\\uDC01", Log.escape(new String(Character.toChars(0xE0001))), "a format character beyond the BMP");
        assertEquals("\\uD800 and \\uDC00", Log.escape("\ud800 and \udc00"), "lone surrogates");
    }

    @Test
    void ordinaryTextIncludingOtherScriptsAndEmojiIsKept() {
        String text = "rm -rf /tmp/x; echo 'Grüße, 世界 \uD83D\uDE00' \\u2028 ~";
        assertEquals(text, Log.escape(text));
    }

    @Test
    void oneEventIsOneLineWithItsPriority() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Log(new PrintStream(out, true, StandardCharsets.UTF_8)).warn("auth denied peer=x\n<6>auth ok peer=y\u2028forged");
        assertEquals("<4>auth denied peer=x\\u000A<6>auth ok peer=y\\u2028forged\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aKeyNameAndACommandWithFormatCharactersAreLoggedEscaped() throws Exception {
        try (TestAgent agent = TestAgent.withKey(dir, TestKeys.fresh("ops\u202Egnp.exe"));
             TestClient client = agent.connect()) {
            String command = "true 'a\u2028<6>forged\u202Ecba\u200B\u0085'";
            assertEquals(0, client.run(Exec.shell(1, command)).exit().code());
            String log = agent.awaitLog(": exit 0 in ");
            assertTrue(log.contains(" key=ops\\u202Egnp.exe session="), log);
            assertTrue(log.contains("true 'a\\u2028<6>forged\\u202Ecba\\u200B\\u0085'"), log);
            for (char raw : new char[] {'\u2028', '\u202E', '\u200B', '\u0085'}) {
                assertFalse(log.indexOf(raw) >= 0, "raw U+" + Integer.toHexString(raw) + " in the log: " + log);
            }
            assertTrue(log.lines().allMatch(line -> line.matches("<[346]>.*")), log);
        }
    }
}
