package dev.rcon.console.testkit;

import dev.rcon.console.Main;
import dev.rcon.console.io.ConsoleIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The console run in-process against its own streams; stdin is never a terminal here. */
public record ConsoleRun(int status, String out, String err) {

    /** No Ctrl-C ever arrives in-process. */
    private static final ConsoleIO.Interrupts NONE = handler -> () -> { };

    public static ConsoleRun run(Path home, String stdin, String... args) {
        return run(home, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.of(), args);
    }

    public static ConsoleRun run(Path home, InputStream stdin, Map<String, String> env, String... args) {
        return run(home, stdin, env, NONE, args);
    }

    /** With {@code interrupts} as the source of Ctrl-C. */
    public static ConsoleRun run(Path home, InputStream stdin, Map<String, String> env, ConsoleIO.Interrupts interrupts,
                                 String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConsoleIO io = new ConsoleIO(stdin, out, err, false, false, env, home, interrupts);
        int status = Main.run(io, args);
        return new ConsoleRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
