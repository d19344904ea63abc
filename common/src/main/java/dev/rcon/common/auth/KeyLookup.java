package dev.rcon.common.auth;

import java.util.Optional;

/** The agent's view of its authorized keys during a handshake. */
@FunctionalInterface
public interface KeyLookup {
    Optional<Key> find(byte[] kid);
}
