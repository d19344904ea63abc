/** The agent's authorized-keys file: loading, checking and swapping it in on reload. */
package dev.rcon.agent.auth;
