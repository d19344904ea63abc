package dev.rcon.common.msg;

/**
 * The {@code pty} object of an {@code exec} (RCON1.md section 4.2): run the command on a new
 * pseudo-terminal of {@code cols} x {@code rows} with {@code TERM=term}.
 */
public record Pty(String term, Integer cols, Integer rows) {
    public static final int MAX_TERM = 64;
    public static final int MAX_SIZE = 10_000;

    public Pty {
        checkTerm(term);
        checkSize(cols, rows);
    }

    /**
     * A terminal name ends up in the command's environment and in terminfo lookups: only the
     * characters terminal names use, so that nothing in it can be a path or an escape.
     */
    static void checkTerm(String term) {
        if (term == null) {
            throw new IllegalArgumentException("missing field 'term' in pty");
        }
        if (term.isEmpty() || term.length() > MAX_TERM || !term.chars().allMatch(Pty::termChar)) {
            throw new IllegalArgumentException("pty term must be 1 to " + MAX_TERM
                    + " characters of A-Z a-z 0-9 . _ + - but was '" + printable(term) + "'");
        }
    }

    /** Both sides of a terminal size, as {@code exec}'s pty and {@code resize} carry them. */
    static void checkSize(Integer cols, Integer rows) {
        checkSide("cols", cols);
        checkSide("rows", rows);
    }

    private static void checkSide(String field, Integer value) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        if (value < 1 || value > MAX_SIZE) {
            throw new IllegalArgumentException(field + " must be 1 to " + MAX_SIZE + " but was " + value);
        }
    }

    private static boolean termChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '_' || c == '+' || c == '-';
    }

    /** The name as it may be echoed in an error: bounded, control characters shown as '?'. */
    private static String printable(String term) {
        String head = term.length() > MAX_TERM ? term.substring(0, MAX_TERM) + "..." : term;
        return head.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
