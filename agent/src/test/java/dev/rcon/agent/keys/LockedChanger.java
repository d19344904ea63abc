package dev.rcon.agent.keys;

import dev.rcon.common.auth.KeyFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process changing a keys file as {@code rcon-agent add-key} does (lock, read, add a
 * line, replace), run by {@link KeyFileLockTest}: it says {@code read} once it holds the lock and
 * has read the file, then waits for a byte on stdin before it adds {@code LINE} and writes.
 * Usage: {@code LockedChanger FILE LINE}.
 */
public final class LockedChanger {
    private LockedChanger() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        KeyFiles.whileLocked(file, () -> { }, () -> {
            List<String> lines = new ArrayList<>(KeyFiles.readPrivateLines(file));
            System.out.println("read");
            System.out.flush();
            System.in.read();
            lines.add(args[1]);
            KeyFiles.replacePrivate(file, String.join("\n", lines) + "\n");
            return null;
        });
    }
}
