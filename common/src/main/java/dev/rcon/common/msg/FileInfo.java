package dev.rcon.common.msg;

/** Agent to console, answering {@link Get}: the file's size and mode; data records follow. */
public record FileInfo(Integer id, long size, String mode) implements Message {

    public FileInfo {
        Message.checkId(id);
        Put.checkMode(mode);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.FILE;
    }
}
