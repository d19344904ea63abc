/**
 * Framing of rcon/1: the {@code u32 len || body} header, the limits every length is checked
 * against before anything is allocated, the single reader and writer of a connection, and the
 * exceptions a connection fails with.
 */
package dev.rcon.common.wire;
