package dev.rcon.common.msg;

/**
 * Console to agent: the terminal of command {@code id} is now {@code cols} x {@code rows}
 * (RCON1.md section 4.2); only for a command started with a {@code pty}.
 */
public record Resize(Integer id, Integer cols, Integer rows) implements Message {

    public Resize {
        Message.checkId(id);
        Pty.checkSize(cols, rows);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.RESIZE;
    }
}
