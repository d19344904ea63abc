/**
 * File transfer for {@code put} and {@code get}: a put is written to a temporary file beside its
 * target, checked for size and SHA-256, synced and renamed into place; a get streams a file in
 * chunks on a thread of its own.
 */
package dev.rcon.agent.files;
