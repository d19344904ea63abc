package dev.rcon.common.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 read strictly: a file or chunk with other bytes is said to be so, never patched with U+FFFD. */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * The text {@code bytes} hold.
     *
     * @throws CharacterCodingException when they are not UTF-8
     */
    public static String strict(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
