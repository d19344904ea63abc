package dev.rcon.common.wire;

/**
 * Text a peer chose (an error's message, a signal's name, a key's name, a host name), made safe
 * to print in a log line or on a person's terminal: every character that could forge, split or
 * disguise a line is escaped as <code>&#92;uXXXX</code>. That is controls (Cc, such as newline,
 * ESC and NEL, so no terminal escape sequence survives), format characters (Cf, such as U+202E
 * which reverses the text after it, or zero-width ones), line and paragraph separators (Zl, Zp),
 * and surrogates that are not part of a pair. A character outside the BMP that is unsafe is
 * escaped as its two surrogates.
 */
public final class PeerText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PeerText() {
    }

    /** {@code text} with its unsafe characters escaped; "null" for null. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (unsafe(cp)) {
                for (int j = i; j < i + n; j++) {
                    char c = text.charAt(j);
                    sb.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                            .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                }
            } else {
                sb.appendCodePoint(cp);
            }
            i += n;
        }
        return sb.toString();
    }

    private static boolean unsafe(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE:
                return true;
            default:
                return false;
        }
    }
}
