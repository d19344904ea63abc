package dev.rcon.agent.testkit;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.auth.KeyLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Keys made at test time; nothing secret is ever committed. */
public final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    public static Key fresh(String name) {
        return Key.generate(RANDOM, name);
    }

    /** Writes an authorized-keys file (mode 0600) allowing {@code keys}. */
    public static Path authorizedKeys(Path dir, Key... keys) throws IOException {
        Path file = dir.resolve("authorized_keys");
        String text = "# written by a test\n" + Arrays.stream(keys).map(KeyLine::format)
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Writes a console key file (mode 0600). */
    public static Path keyFile(Path dir, Key key) throws IOException {
        Path file = dir.resolve("key-" + key.name());
        KeyFiles.writeKey(file, key, true);
        return file;
    }
}
