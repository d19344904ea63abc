package dev.rcon.agent.testkit;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.common.auth.KeyLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/** Keys made at test time; nothing secret is ever committed. */
public final class TestKeys {
    /** The user nobody: the "another user" of key-file tests. */
    public static final int NOBODY = 65534;

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    public static Key fresh(String name) {
        return Key.generate(RANDOM, name);
    }

    /** The key a host labelled {@code label} holds for fleet key {@code fleetKey} (RCON1.md 5.1). */
    public static Key forHost(Key fleetKey, String label) {
        return dev.rcon.common.auth.HostKeys.derive(fleetKey, dev.rcon.common.auth.HostLabel.of(label));
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

    /** Skips the calling test unless it runs as root (giving a file to another user needs root). */
    public static void assumeRoot() throws IOException {
        Path probe = Files.createTempFile("rcon-uid", "");
        try {
            Assumptions.assumeTrue((Integer) Files.getAttribute(probe, "unix:uid") == 0,
                    "giving a file to another user (chown) needs root");
        } finally {
            Files.delete(probe);
        }
    }

    /** {@code chown UID path}, not following a link. */
    public static void chown(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code chmod MODE path} (octal, with the sticky bit if asked), as an operator would. */
    public static void chmod(Path path, String mode) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chmod", mode, path.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("chmod " + mode + " " + path + " failed: " + out);
        }
    }
}
