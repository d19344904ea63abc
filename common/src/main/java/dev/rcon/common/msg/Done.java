package dev.rcon.common.msg;

/** A file transfer completed: what was written or sent, by size and SHA-256. */
public record Done(Integer id, long size, String sha256) implements Message {

    public Done {
        Message.checkId(id);
        Data.checkSha256(sha256);
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.DONE;
    }
}
