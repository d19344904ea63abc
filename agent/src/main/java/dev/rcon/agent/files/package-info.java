/**
 * File transfer channels. A {@code put} ({@link dev.rcon.agent.files.PutChannel}) is written to a
 * temporary file beside its target, checked for size and SHA-256, synced and renamed into place,
 * all on a thread of its own; a {@code get} ({@link dev.rcon.agent.files.GetChannel}) streams a
 * file in chunks as the console's window allows.
 */
package dev.rcon.agent.files;
