/**
 * File transfer for {@code put} and {@code get}. A put is staged beside its target, checked for
 * size and SHA-256, synced and renamed into place, never over anything but a regular file (see
 * {@link dev.rcon.common.files.StagedFile}). A get sends only a regular file, opened by
 * {@link dev.rcon.agent.files.SourceFile} on the transfer's own thread, with the size it really
 * has.
 */
package dev.rcon.agent.files;
