package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.regex.Pattern;

/** A piece of a file in transfer; the last one has {@code eof} and the whole file's SHA-256. */
public record Data(Integer id, Boolean eof, String sha256, @JsonIgnore byte[] payload)
        implements Message, Message.WithPayload {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Data {
        Message.checkId(id);
        if (Boolean.FALSE.equals(eof)) {
            eof = null;
        }
        if (sha256 != null || eof != null) {
            if (eof == null) {
                throw new IllegalArgumentException("sha256 belongs only on the eof data record");
            }
            checkSha256(sha256);
        }
        payload = Message.orEmpty(payload);
    }

    public static Data chunk(int id, byte[] payload) {
        return new Data(id, null, null, payload);
    }

    public static Data last(int id, String sha256) {
        return new Data(id, true, sha256, null);
    }

    public boolean isEof() {
        return Boolean.TRUE.equals(eof);
    }

    @Override
    public Data withPayload(byte[] bytes) {
        return new Data(id, eof, sha256, bytes);
    }

    @Override
    public MessageType type() {
        return MessageType.DATA;
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public String toString() {
        return "Data[id=" + id + ", eof=" + isEof() + ", " + payload.length + " bytes]";
    }

    static void checkSha256(String hex) {
        if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits but was '" + hex + "'");
        }
    }
}
