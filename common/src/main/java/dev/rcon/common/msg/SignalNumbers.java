package dev.rcon.common.msg;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Linux signal numbers and the names {@code exit} records use for them ("KILL"): one table for
 * the agent, which names the signal that ended a process, and the console, which turns a name
 * back into 128+N.
 */
public final class SignalNumbers {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "HUP"), Map.entry(2, "INT"), Map.entry(3, "QUIT"), Map.entry(4, "ILL"),
            Map.entry(5, "TRAP"), Map.entry(6, "ABRT"), Map.entry(7, "BUS"), Map.entry(8, "FPE"),
            Map.entry(9, "KILL"), Map.entry(10, "USR1"), Map.entry(11, "SEGV"), Map.entry(12, "USR2"),
            Map.entry(13, "PIPE"), Map.entry(14, "ALRM"), Map.entry(15, "TERM"), Map.entry(24, "XCPU"),
            Map.entry(25, "XFSZ"), Map.entry(31, "SYS"));
    private static final Map<String, Integer> NUMBERS = NAMES.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private SignalNumbers() {
    }

    /** The name of signal {@code number}, or null for one we do not name. */
    public static String name(int number) {
        return NAMES.get(number);
    }

    /** The number of signal {@code name}, or null for a name we do not know. */
    public static Integer number(String name) {
        return NUMBERS.get(name);
    }
}
