/**
 * The {@code rcon} command line: options and subcommands (picocli), where the key comes from,
 * one-shot runs, and the one mapper from outcomes to exit codes.
 */
package dev.rcon.console.cli;
