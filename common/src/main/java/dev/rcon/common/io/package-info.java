/**
 * Small helpers for streams and sockets that every module uses the same way: closing what is
 * given up on ({@link dev.rcon.common.io.Closing}).
 */
package dev.rcon.common.io;
