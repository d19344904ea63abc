/**
 * What every request in flight on a session has in common. A {@link dev.rcon.agent.channel.Channel}
 * is one {@code exec}, {@code put} or {@code get}, named by its id; the session routes records
 * to it and ends it. {@link dev.rcon.agent.channel.ChannelBase} carries the flow-control windows
 * of RCON1.md section 4.1 for both directions, so that the kinds of channel only move bytes.
 * The kinds live in {@code exec} and {@code files}; this package depends on neither.
 */
package dev.rcon.agent.channel;
