/**
 * The remote terminal: {@code rcon --host H} on a terminal, and {@code rcon -t}. The local
 * terminal goes raw ({@link dev.rcon.console.term.LocalTerminal}), keystrokes go to a command
 * that runs on a pseudo-terminal of the agent (RCON1.md section 4.2) and its output comes back
 * byte for byte, as with ssh; an escape character at the start of a line
 * ({@link dev.rcon.console.term.EscapeFilter}) talks to the console itself. Depends on the
 * client package only.
 */
package dev.rcon.console.term;
