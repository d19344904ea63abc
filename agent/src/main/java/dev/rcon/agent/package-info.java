/**
 * {@code rcon-agent}: the daemon on every host. {@link dev.rcon.agent.AgentMain} parses the
 * command line for people, {@link dev.rcon.agent.ServiceMain} is the systemd unit's entry (a
 * configuration file, no parser), and both serve through {@code Serve}; the work happens in {@code net} (listeners and sessions), {@code exec}
 * (processes and their groups), {@code auth} (authorized keys) and {@code config}; {@code archive}
 * records the class-data archive the unit's agent maps.
 */
package dev.rcon.agent;
