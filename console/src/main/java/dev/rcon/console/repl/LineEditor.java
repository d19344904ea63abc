package dev.rcon.console.repl;

import dev.rcon.common.files.OwnerOnly;
import dev.rcon.console.io.ConsoleIO;
import dev.rcon.console.io.RawOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The terminal side of the shell: JLine's editor and history file. Ctrl-C at the prompt clears
 * the line; while a command runs it signals the remote command, never the console.
 */
final class LineEditor {
    private static final String DROP_LINE = "rcon-drop-line";
    private final Shell shell;
    private final ConsoleIO io;

    LineEditor(Shell shell, ConsoleIO io) {
        this.shell = shell;
        this.io = io;
    }

    int loop() throws Exception {
        try (Terminal terminal = terminal()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("rcon")
                    .variable(LineReader.HISTORY_FILE, historyFile())
                    .variable(LineReader.HISTORY_SIZE, 10_000)
                    .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                    .build();
            dropLineOnInterruptKey(reader, terminal);
            ConsoleIO.Interrupts interrupts = handler -> {
                Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> handler.run());
                return () -> terminal.handle(Terminal.Signal.INT, previous);
            };
            RawOutput output = new RawOutput(terminal.output(), io.err());
            while (true) {
                String line;
                try {
                    line = reader.readLine(shell.prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return shell.lastStatus();
                }
                // readLine's own INT handler interrupts this thread, and stays until readLine has
                // restored the terminal: a Ctrl-C signal then (typed as the terminal leaves the
                // prompt's mode, or where the prompt keeps ISIG: the exec provider) left the
                // interrupt set, and the wait for the command's end threw it ("rcon:
                // InterruptedException"). It came before the command started, and is dropped.
                Thread.interrupted();
                Optional<Integer> end = shell.execute(line, output, interrupts, true);
                terminal.flush();
                if (end.isPresent()) {
                    return end.get();
                }
            }
        }
    }

    /**
     * The interrupt key (Ctrl-C, or what stty intr set) at the prompt drops the line being typed,
     * as the signal did in JLine, where the terminal sends it as a key ({@link SettingsKeepingPty}):
     * in its place among the keys, and at once. With intr disabled, the key does nothing, as before.
     */
    private static void dropLineOnInterruptKey(LineReader reader, Terminal terminal) {
        int intr = terminal.getAttributes().getControlChar(Attributes.ControlChar.VINTR);
        if (intr <= 0 || intr == 0xff) {
            return;
        }
        reader.getWidgets().put(DROP_LINE, () -> {
            throw new UserInterruptException(reader.getBuffer().toString());
        });
        String key = String.valueOf((char) intr);
        Map<String, KeyMap<Binding>> keymaps = reader.getKeyMaps();
        for (String name : List.of(LineReader.EMACS, LineReader.VIINS, LineReader.VICMD)) {
            KeyMap<Binding> old = keymaps.get(name);
            KeyMap<Binding> withKey = signalKey(old, key, new Reference(DROP_LINE));
            // MAIN is the same map as EMACS (or another mode's) until the reader switches.
            keymaps.replaceAll((n, map) -> map == old ? withKey : map);
        }
    }

    /**
     * {@code keymap} with {@code key} bound to {@code binding} alone, as the signal it stands for:
     * never the start of longer keys (emacs mode's Ctrl-X prefix, after stty intr ^X), for which
     * JLine waited for the next key and, in a Ctrl-R search, put that key into the line it then
     * dropped. A copy: KeyMap.unbind leaves the prefix's inner maps behind.
     */
    private static KeyMap<Binding> signalKey(KeyMap<Binding> keymap, String key, Binding binding) {
        KeyMap<Binding> copy = new KeyMap<>();
        keymap.getBoundKeys().forEach((keys, bound) -> {
            if (!keys.startsWith(key)) {
                copy.bind(bound, keys);
            }
        });
        copy.bind(binding, key);
        copy.setAmbiguousTimeout(keymap.getAmbiguousTimeout());
        copy.setNomatch(keymap.getNomatch());
        copy.setUnicode(keymap.getUnicode());
        return copy;
    }

    /**
     * A non-default base handler makes JLine route native signals to handle(), which is how
     * Ctrl-C during a command becomes a remote INT instead of ending the console. On Linux the
     * terminal is changed in-process ({@link SettingsKeepingPty}); elsewhere through JLine's exec
     * provider (stty), whose children a Ctrl-C at the wrong moment can kill, rather than JLine's
     * native one, which leaves the terminal at speed 0 (jline/jline3#2170, fixed after 3.26).
     */
    private static Terminal terminal() throws IOException {
        if (SettingsKeepingPty.supported()) {
            return SettingsKeepingPty.systemTerminal("rcon");
        }
        return TerminalBuilder.builder().system(true).name("rcon").provider("exec")
                .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
    }

    private Path historyFile() throws IOException {
        Path dir = io.stateDir();
        // The history holds every command typed, passwords on command lines included: only this
        // user reads it, as bash's, whatever the umask (the directory as LastRun makes it).
        OwnerOnly.ownDirectory(dir);
        Path history = dir.resolve("history");
        if (!Files.exists(history, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(history, OwnerOnly.FILE);
        } else if (Files.isRegularFile(history, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-------"));
        }
        return history;
    }
}
