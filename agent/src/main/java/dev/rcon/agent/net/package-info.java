/**
 * The network side of the agent: the {@link dev.rcon.agent.net.Agent} that owns listeners and
 * sessions, the handshake gate every connection passes, and the
 * {@link dev.rcon.agent.net.Session} that turns records into commands.
 */
package dev.rcon.agent.net;
