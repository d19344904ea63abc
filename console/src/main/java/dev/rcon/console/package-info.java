/**
 * {@code rcon}, the operator's console. {@link dev.rcon.console.Main} is the entry point; the
 * command line lives in {@code cli}, the protocol client in {@code client}, the interactive
 * shell in {@code repl}.
 */
package dev.rcon.console;
