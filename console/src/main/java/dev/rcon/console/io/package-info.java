/**
 * The console's own process, shared by every front end (one-shot, shell, fleet): its streams,
 * terminal and Ctrl-C ({@link dev.rcon.console.io.ConsoleIO}), remote output written raw to
 * them, and the exit statuses it ends with. It depends only on the client, so that the command
 * line, the shell and the fleet can all use it without depending on one another.
 */
package dev.rcon.console.io;
