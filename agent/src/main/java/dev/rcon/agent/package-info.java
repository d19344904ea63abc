/**
 * {@code rcon-agent}: the daemon on every host. {@link dev.rcon.agent.AgentMain} parses the
 * command line; the work happens in {@code net} (listeners and sessions), {@code exec}
 * (processes and their groups), {@code auth} (authorized keys) and {@code config}.
 */
package dev.rcon.agent;
