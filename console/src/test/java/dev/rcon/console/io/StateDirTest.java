package dev.rcon.console.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where the history and the last fleet run go, by XDG_STATE_HOME. */
@Timeout(10)
class StateDirTest {
    private static ConsoleIO withEnv(Map<String, String> env) {
        return new ConsoleIO(InputStream.nullInputStream(), OutputStream.nullOutputStream(), OutputStream.nullOutputStream(),
                false, false, env, Path.of("/home/ops"), handler -> () -> { });
    }

    @Test
    void anAbsoluteXdgStateHomeIsUsedAndARelativeOrEmptyOneIsIgnored() {
        assertEquals(Path.of("/var/ops/state/rcon"), withEnv(Map.of("XDG_STATE_HOME", "/var/ops/state")).stateDir());
        assertEquals(Path.of("/home/ops/.local/state/rcon"), withEnv(Map.of("XDG_STATE_HOME", "state")).stateDir());
        assertEquals(Path.of("/home/ops/.local/state/rcon"), withEnv(Map.of("XDG_STATE_HOME", "")).stateDir());
        assertEquals(Path.of("/home/ops/.local/state/rcon"), withEnv(Map.of()).stateDir());
    }
}
