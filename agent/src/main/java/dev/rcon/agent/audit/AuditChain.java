package dev.rcon.agent.audit;

import dev.rcon.common.crypto.Crypto;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** How lines chain: each holds {@code "prev"}, the SHA-256 of the previous line's bytes. */
final class AuditChain {
    /** The {@code prev} of the very first line of a trail. */
    static final String ORIGIN = "0".repeat(64);

    private AuditChain() {
    }

    /** The hash the next line must carry after {@code line} (without its newline). */
    static String hashOf(String line) {
        return HexFormat.of().formatHex(Crypto.sha256(line.getBytes(StandardCharsets.UTF_8)));
    }
}
