/**
 * The agent's authorized keys as a store: loaded at start, reloaded on SIGHUP, and changed
 * through the key-management request ({@code keys}, a project extension), which writes the file
 * atomically and applies it at once, so rotation never needs a shell editing the file.
 */
package dev.rcon.agent.keys;
