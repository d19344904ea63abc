package dev.rcon.console.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts {@link #TEXT} where a host's output names the host itself, so that {@code -b} can show
 * {@code Welcome to {host}} once for a thousand hosts. A name counts only as a whole word (not
 * inside a longer name or number): {@code web1} is replaced in {@code web1 up} but not in
 * {@code web10}. Longer names go first, so a full name is never half replaced by its short form.
 * Bytes are matched as bytes, so output that is not text passes through unchanged.
 */
public final class HostPlaceholder {
    public static final String TEXT = "{host}";

    private HostPlaceholder() {
    }

    /** {@code output} with each of {@code names} (and each name's first label) as a whole word replaced. */
    public static byte[] replace(byte[] output, List<String> names) {
        if (output.length == 0 || names.isEmpty()) {
            return output;
        }
        String text = new String(output, StandardCharsets.ISO_8859_1);
        String replaced = text;
        for (String name : names.stream().flatMap(n -> n.indexOf('.') > 0 && !n.matches("[0-9.]+")
                ? java.util.stream.Stream.of(n, n.substring(0, n.indexOf('.'))) : java.util.stream.Stream.of(n))
                .filter(n -> n.length() >= 2).distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            String bytes = new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            Pattern word = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(bytes) + "(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])");
            replaced = word.matcher(replaced).replaceAll(Matcher.quoteReplacement(TEXT));
        }
        return replaced.equals(text) ? output : replaced.getBytes(StandardCharsets.ISO_8859_1);
    }
}
