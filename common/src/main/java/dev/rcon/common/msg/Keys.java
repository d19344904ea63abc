package dev.rcon.common.msg;

import java.util.regex.Pattern;

/**
 * Console to agent, a project extension to rcon/1: list, add or remove a line of the agent's
 * authorized keys. Allowed only to keys whose line carries {@code manage-keys}; answered with
 * {@link KeyList} (the keys after the change) or an error. Never carries a psk back.
 *
 * @param id the request id
 * @param op {@code list}, {@code add} or {@code remove}
 * @param line for {@code add}: the whole line, options and key, as in the file
 * @param kid for {@code remove}: the key id in lowercase hex
 */
public record Keys(Integer id, String op, String line, String kid) implements Message {
    public static final String LIST = "list";
    public static final String ADD = "add";
    public static final String REMOVE = "remove";
    /** A key line with options is a few hundred bytes; this bounds what the agent parses. */
    public static final int MAX_LINE = 4096;
    private static final Pattern KID = Pattern.compile("[0-9a-f]{32}");

    public Keys {
        Message.checkId(id);
        if (op == null) {
            throw new IllegalArgumentException("missing field 'op'");
        }
        switch (op) {
            case LIST -> requireAbsent(line, kid);
            case ADD -> {
                requireAbsent(null, kid);
                if (line == null || line.isEmpty() || line.length() > MAX_LINE) {
                    throw new IllegalArgumentException("add needs a 'line' of 1 to " + MAX_LINE + " characters");
                }
                if (line.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException("line must be one line without control characters");
                }
            }
            case REMOVE -> {
                requireAbsent(line, null);
                if (kid == null || !KID.matcher(kid).matches()) {
                    throw new IllegalArgumentException("remove needs a 'kid' of 32 lowercase hex digits");
                }
            }
            default -> throw new IllegalArgumentException("op must be list, add or remove but was '" + op + "'");
        }
    }

    public static Keys list(int id) {
        return new Keys(id, LIST, null, null);
    }

    public static Keys add(int id, String line) {
        return new Keys(id, ADD, line, null);
    }

    public static Keys remove(int id, String kidHex) {
        return new Keys(id, REMOVE, null, kidHex);
    }

    private void requireAbsent(String line, String kid) {
        if (line != null) {
            throw new IllegalArgumentException(op + " takes no 'line'");
        }
        if (kid != null) {
            throw new IllegalArgumentException(op + " takes no 'kid'");
        }
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.KEYS;
    }
}
