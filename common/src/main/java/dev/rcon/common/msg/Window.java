package dev.rcon.common.msg;

/**
 * Either direction: the receiver of a channel's data lets its sender send {@code bytes} more
 * payload bytes on channel {@code id} (RCON1.md section 4.1).
 */
public record Window(Integer id, Integer bytes) implements Message {

    public Window {
        Message.checkId(id);
        if (bytes == null || bytes < 1) {
            throw new IllegalArgumentException("window bytes must be 1 to 2147483647 but was " + bytes);
        }
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
