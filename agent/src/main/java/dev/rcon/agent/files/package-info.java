/**
 * File transfer channels. A {@code put} ({@link dev.rcon.agent.files.PutChannel}) is staged in a
 * private directory beside its target, checked for size and SHA-256, synced and renamed into
 * place relative to the opened target directory, never following a link, all on a thread of its
 * own. A {@code get} ({@link dev.rcon.agent.files.GetChannel}) opens only a regular file
 * ({@link dev.rcon.agent.files.SourceFile}, which reads pseudo files whole to learn their real
 * size) and streams it in chunks as the console's window allows.
 */
package dev.rcon.agent.files;
