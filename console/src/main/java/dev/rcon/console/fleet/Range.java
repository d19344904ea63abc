package dev.rcon.console.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The inside of one bracket: {@code 01-20}, {@code 1-3,7}, {@code 5}. */
final class Range {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");

    private Range() {
    }

    static List<String> values(String inside, String pattern) {
        List<String> values = new ArrayList<>();
        for (String part : inside.split(",", -1)) {
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'[" + inside + "]' in '" + pattern
                        + "' is not a list of numbers and ranges like [01-20,25]");
            }
            String first = m.group(1);
            String last = m.group(2) == null ? first : m.group(2);
            long from = Long.parseLong(first);
            long to = Long.parseLong(last);
            if (to < from) {
                throw new IllegalArgumentException("range " + first + "-" + last + " in '" + pattern + "' runs backwards");
            }
            if (to - from >= HostList.MAX_HOSTS) {
                throw new IllegalArgumentException("range " + first + "-" + last + " in '" + pattern
                        + "' has more than " + HostList.MAX_HOSTS + " values");
            }
            int width = first.length() > 1 && first.startsWith("0") ? first.length() : 0;
            for (long n = from; n <= to; n++) {
                values.add(width == 0 ? Long.toString(n) : String.format("%0" + width + "d", n));
            }
        }
        return values;
    }
}
