/**
 * The {@code rcon} command line: options and subcommands (picocli), where the key comes from,
 * and one-shot runs. It is the top of the console: it uses the shell, the fleet, the client and
 * the console's own streams, and none of them uses it.
 */
package dev.rcon.console.cli;
