/**
 * The network side of the agent: the {@link dev.rcon.agent.net.Agent} that owns listeners (TCP
 * and the UDP ping beside it, {@link dev.rcon.agent.net.Listeners}) and sessions, the handshake
 * gate every connection passes, and the
 * {@link dev.rcon.agent.net.Session} that turns records into commands, with the slots every
 * session draws on ({@link dev.rcon.agent.net.SharedLimits}) and the making of each session's
 * channels ({@link dev.rcon.agent.net.SessionChannels}).
 */
package dev.rcon.agent.net;
