package dev.rcon.console.cli;

import dev.rcon.common.auth.Key;
import dev.rcon.common.auth.KeyFiles;
import dev.rcon.console.io.ConsoleIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the console's key comes from: {@code --key}, else {@code $RCON_KEY_FILE}, else the default. */
public final class KeyOptions {
    @Option(names = "--key", paramLabel = "FILE",
            description = "Key file. Default: ~/.config/rcon/key, or $RCON_KEY_FILE when set.")
    Path key;

    /**
     * These options where given, else {@code outer}'s: {@code --key} works before a subcommand
     * ({@code rcon --key K ping LIST}) as well as after it.
     */
    KeyOptions or(KeyOptions outer) {
        return key != null || outer == null ? this : outer;
    }

    static Path defaultKey(ConsoleIO io) {
        return io.home().resolve(".config/rcon/key");
    }

    Path path(ConsoleIO io) {
        if (key != null) {
            return key;
        }
        return io.getenv("RCON_KEY_FILE").map(Path::of).orElseGet(() -> defaultKey(io));
    }

    /**
     * Loads the key, refusing a file others can read.
     *
     * @throws IllegalArgumentException with what to do about it
     */
    Key load(ConsoleIO io) throws IOException {
        Path file = path(io);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no key file at " + file + " (make one with: rcon keygen)");
        }
        return KeyFiles.readKey(file);
    }
}
