package dev.rcon.common.msg;

/**
 * Either direction: the receiver of a channel's data lets its sender send {@code bytes} more
 * payload bytes on channel {@code id} (RCON1.md section 4.1).
 */
public record Window(Integer id, Long bytes) implements Message {

    /**
     * {@code bytes} is read as a long (one past a long's range as the largest long): a value past
     * 2^31-1 is well-formed JSON for an id that may not be in flight (ignored), and for one in
     * flight it is a protocol error the receiver's window reports (RCON1.md 4.1), not a bad request.
     */
    public Window {
        Message.checkId(id);
        if (bytes == null || bytes < 1) {
            throw new IllegalArgumentException("window bytes must be at least 1 but was " + bytes);
        }
    }

    public Window(int id, int bytes) {
        this(Integer.valueOf(id), Long.valueOf(bytes));
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.WINDOW;
    }
}
