/**
 * The interactive shell: a JLine line editor with history when stdin is a terminal, one command
 * per line when it is a pipe. Every command runs over the one session opened at start, in the
 * directory {@code cd} last set.
 */
package dev.rcon.console.repl;
