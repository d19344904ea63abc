package dev.rcon.common.msg;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One rcon/1 message: the JSON header of a record plus, for the types that carry one, its
 * payload. Java 17 has no pattern switch, so code dispatches with an exhaustive switch over
 * {@link #type()} and a cast to {@link MessageType#type()}'s record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Message
        permits Hello, Exec, Started, Stdout, Stderr, Exit, Stdin, Signal, Resize, Put, Data, Get,
                FileInfo, Done, Window, Ping, Pong, Close, ErrorReply, Keys, KeyList {

    @JsonIgnore
    MessageType type();

    /** The request id this message is about, or null for session-level messages. */
    @JsonIgnore
    Integer requestId();

    /** A message whose record carries bytes after the header. */
    interface WithPayload {
        byte[] payload();

        Message withPayload(byte[] payload);
    }

    /** Request ids are chosen by the console: 1 to 2^31-1. */
    static int checkId(Integer id) {
        if (id == null) {
            throw new IllegalArgumentException("missing field 'id'");
        }
        if (id < 1) {
            throw new IllegalArgumentException("id must be 1 to 2147483647 but was " + id);
        }
        return id;
    }

    static byte[] orEmpty(byte[] payload) {
        return payload == null ? new byte[0] : payload;
    }
}
