/**
 * Who may talk to whom: keys and their one-line text form, key files and their permission
 * checks, and the three-message HMAC challenge of rcon/1 in both roles. The only way from a
 * socket to a session goes through {@link dev.rcon.common.auth.AgentHandshake} or
 * {@link dev.rcon.common.auth.ClientHandshake}.
 */
package dev.rcon.common.auth;
