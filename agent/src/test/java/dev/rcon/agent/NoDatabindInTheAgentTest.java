package dev.rcon.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rcon.common.msg.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's jar leaves jackson-databind out (its classes cost an idle agent about 12 MB of
 * resident memory), so no class the agent runs may name it: not the agent's own, nor those of
 * the common module it shares with the console. A class that did would fail only when its path
 * ran, on a host, with a NoClassDefFoundError.
 */
@Timeout(30)
class NoDatabindInTheAgentTest {
    private static final byte[] DATABIND = "com/fasterxml/jackson/databind".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noClassOfTheAgentOrCommonModuleNamesDatabind() throws Exception {
        int scanned = 0;
        for (Class<?> module : List.of(AgentMain.class, MessageCodec.class)) {
            Path location = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
            // A classes directory, or the module's jar when the reactor has packaged it.
            try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
                Path root = jar == null ? location : jar.getPath("/");
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        scanned++;
                        assertEquals(-1, indexOf(Files.readAllBytes(file)), location + ": " + file + " names databind");
                    }
                }
            }
        }
        assertTrue(scanned > 100, "only " + scanned + " classes scanned");
    }

    private static int indexOf(byte[] bytes) {
        outer:
        for (int i = 0; i + DATABIND.length <= bytes.length; i++) {
            for (int j = 0; j < DATABIND.length; j++) {
                if (bytes[i + j] != DATABIND[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
