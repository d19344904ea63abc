/**
 * The primitives rcon/1 is built from: HKDF and X25519 from BouncyCastle (its HKDF over the
 * JDK's SHA-256), SHA-256, HMAC-SHA256 and AES-256-GCM from the JDK, and the per-direction
 * record cipher with its sequence number. Nothing here knows about sockets.
 */
package dev.rcon.common.crypto;
