package dev.rcon.common.auth;

import dev.rcon.common.crypto.RecordCipher;
import java.util.HexFormat;

/** The keys both sides derive from a completed handshake (RCON1.md section 2). */
public final class SessionKeys {
    private final byte[] keyC2a;
    private final byte[] ivC2a;
    private final byte[] keyA2c;
    private final byte[] ivA2c;
    private final byte[] sessionId;

    SessionKeys(byte[] keyC2a, byte[] ivC2a, byte[] keyA2c, byte[] ivA2c, byte[] sessionId) {
        this.keyC2a = keyC2a;
        this.ivC2a = ivC2a;
        this.keyA2c = keyA2c;
        this.ivA2c = ivA2c;
        this.sessionId = sessionId;
    }

    /** The cipher for records the console sends and the agent opens. */
    public RecordCipher consoleToAgent() {
        return new RecordCipher(keyC2a, ivC2a);
    }

    /** The cipher for records the agent sends and the console opens. */
    public RecordCipher agentToConsole() {
        return new RecordCipher(keyA2c, ivA2c);
    }

    /** The session id as logs show it: 16 hex digits. */
    public String sessionId() {
        return HexFormat.of().formatHex(sessionId);
    }

    byte[] keyC2a() {
        return keyC2a.clone();
    }

    byte[] ivC2a() {
        return ivC2a.clone();
    }

    byte[] keyA2c() {
        return keyA2c.clone();
    }

    byte[] ivA2c() {
        return ivA2c.clone();
    }
}
