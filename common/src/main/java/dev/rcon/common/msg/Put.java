package dev.rcon.common.msg;

import java.util.regex.Pattern;

/** Console to agent: write a file of {@code size} bytes at {@code path}; data records follow. */
public record Put(Integer id, String path, Long size, String mode) implements Message {
    private static final Pattern MODE = Pattern.compile("0[0-7]{3}");

    public Put {
        Message.checkId(id);
        Exec.checkAbsolute("path", path);
        if (size == null || size < 0) {
            throw new IllegalArgumentException("size must be a non-negative integer but was " + size);
        }
        checkMode(mode);
    }

    @Override
    public MessageType type() {
        return MessageType.PUT;
    }

    @Override
    public Integer requestId() {
        return id;
    }

    static void checkMode(String mode) {
        if (mode == null || !MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("mode must be four octal digits like 0644 but was '" + mode + "'");
        }
    }
}
