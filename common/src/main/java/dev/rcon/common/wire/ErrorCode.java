package dev.rcon.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The error codes of rcon/1 section 4, each with its wire name. */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    DENIED("denied"),
    BUSY("busy"),
    NOT_FOUND("not_found"),
    SPAWN_FAILED("spawn_failed"),
    IO("io"),
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static ErrorCode fromWire(String name) {
        for (ErrorCode code : values()) {
            if (code.wireName.equals(name)) {
                return code;
            }
        }
        throw new IllegalArgumentException("unknown error code '" + name + "'");
    }
}
