package dev.rcon.console.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts {@link #TEXT} where a host's output names the host itself, so that {@code -b} can show
 * {@code Welcome to {host}} once for a thousand hosts. A name counts only as a whole word (not
 * inside a longer name or number): {@code web1} is replaced in {@code web1 up} but not in
 * {@code web10}. Longer names go first, so a full name is never half replaced by its short form.
 * Bytes are matched as bytes, so output that is not text passes through unchanged.
 */
public final class HostPlaceholder {
    public static final String TEXT = "{host}";
    private static final byte[] TEXT_BYTES = TEXT.getBytes(StandardCharsets.UTF_8);

    private HostPlaceholder() {
    }

    /**
     * {@code output} with each of {@code names} (and each name's first label) as a whole word
     * replaced; {@code output} itself when nothing is. One pass over the bytes per name, into an
     * array of the exact size: the regular expressions this took over from went through a string
     * copy, a doubling builder and another copy of each host's output, at every host's end, and
     * {@code -b} with 15 MB of syslog lines naming the host ran a 64 MiB console out of memory
     * within the budget that was to bound it.
     */
    public static byte[] replace(byte[] output, List<String> names) {
        if (output.length == 0 || names.isEmpty()) {
            return output;
        }
        byte[] replaced = output;
        for (String name : names.stream().flatMap(n -> n.indexOf('.') > 0 && !n.matches("[0-9.]+")
                ? Stream.of(n, n.substring(0, n.indexOf('.'))) : Stream.of(n))
                .filter(n -> n.length() >= 2).distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            replaced = replaceWord(replaced, name.getBytes(StandardCharsets.UTF_8));
        }
        return replaced;
    }

    /** {@code in} with {@code word} replaced where it stands as a whole word, left to right. */
    private static byte[] replaceWord(byte[] in, byte[] word) {
        int matches = 0;
        for (int i = next(in, word, 0); i >= 0; i = next(in, word, i + word.length)) {
            matches++;
        }
        if (matches == 0) {
            return in;
        }
        byte[] out = new byte[in.length + matches * (TEXT_BYTES.length - word.length)];
        int from = 0;
        int to = 0;
        for (int i = next(in, word, 0); i >= 0; i = next(in, word, i + word.length)) {
            System.arraycopy(in, from, out, to, i - from);
            to += i - from;
            System.arraycopy(TEXT_BYTES, 0, out, to, TEXT_BYTES.length);
            to += TEXT_BYTES.length;
            from = i + word.length;
        }
        System.arraycopy(in, from, out, to, in.length - from);
        return out;
    }

    /**
     * Where {@code word} next stands whole in {@code in} from {@code from}, or -1: not after a
     * name's own character ({@code A-Za-z0-9_.-}), nor before one ({@code A-Za-z0-9_-}, or a dot
     * that goes on with a letter or digit: {@code web01.example} is another name).
     */
    private static int next(byte[] in, byte[] word, int from) {
        byte first = word[0];
        for (int i = from; i <= in.length - word.length; i++) {
            if (in[i] != first || i > 0 && (isNameByte(in[i - 1]) || in[i - 1] == '.')
                    || !java.util.Arrays.equals(in, i, i + word.length, word, 0, word.length)) {
                continue;
            }
            int after = i + word.length;
            if (after < in.length && (isNameByte(in[after])
                    || in[after] == '.' && after + 1 < in.length && isNameByte(in[after + 1]) && in[after + 1] != '_'
                            && in[after + 1] != '-')) {
                continue;
            }
            return i;
        }
        return -1;
    }

    /** {@code A-Za-z0-9_-}. */
    private static boolean isNameByte(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-';
    }
}
