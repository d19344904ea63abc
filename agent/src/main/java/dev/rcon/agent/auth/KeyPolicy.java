package dev.rcon.agent.auth;

import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.MessageType;
import java.util.Optional;

/**
 * What one authenticated key may open. The session asks it at the one place where channels
 * open; a refusal is answered with {@code error denied} naming the reason, and the session goes
 * on. Every key is unrestricted until authorized-keys options exist.
 *
 * @param key the key that logged in
 */
public record KeyPolicy(Key key) {

    /** Why {@code kind} of request is refused for this key, or empty when it may open. */
    public Optional<String> denial(MessageType kind) {
        return Optional.empty();
    }
}
