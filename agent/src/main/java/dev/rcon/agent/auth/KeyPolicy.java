package dev.rcon.agent.auth;

import dev.rcon.common.auth.Key;
import dev.rcon.common.msg.Message;
import java.util.Optional;

/**
 * What one authenticated key may open. The session asks it at the one place where channels
 * open; a refusal is answered with {@code error denied} naming the reason, and the session goes
 * on. Every key is unrestricted until authorized-keys options exist.
 *
 * @param key the key that logged in
 */
public record KeyPolicy(Key key) {

    /**
     * Why {@code request} ({@code exec}, {@code put} or {@code get}) is refused for this key, or
     * empty when it may open. It gets the whole request so that options can look inside: an
     * {@code exec} with a non-null {@code pty()} asks for a terminal (the {@code no-pty} option).
     */
    public Optional<String> denial(Message request) {
        return Optional.empty();
    }
}
