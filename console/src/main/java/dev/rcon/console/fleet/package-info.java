/**
 * Fleet runs: host lists (ranges, groups from the inventory, files, exclusions) and their
 * folding back into ranges, the runner that runs one command on many hosts with a bounded
 * fanout, the output modes (live prefixed lines, gathered, JSON Lines, per-host files), the
 * summary, and {@code rcon ping} over UDP.
 */
package dev.rcon.console.fleet;
