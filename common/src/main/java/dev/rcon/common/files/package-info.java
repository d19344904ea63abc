/**
 * Writing a received file safely, the same way on the agent (put) and the console (get):
 * relative to an opened directory, never through a link, never over anything but a regular file,
 * written back to disk as it comes ({@code Writeback}) and synced before it is renamed into place;
 * and the modes of what only its owner may read ({@link dev.rcon.common.files.OwnerOnly}); and
 * text read as strict UTF-8 ({@link dev.rcon.common.files.Utf8}); and why a file operation
 * failed, in words ({@link dev.rcon.common.files.FileErrors}).
 */
package dev.rcon.common.files;
