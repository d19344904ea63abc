/**
 * The rcon/1 client: connect and authenticate ({@link dev.rcon.console.client.RconClient}),
 * then run commands over the one session, each a {@link dev.rcon.console.client.RemoteCommand}.
 * One reader thread per connection delivers output in order to each command's listener.
 * {@link dev.rcon.console.client.SessionPreload} sets up a session's cryptography and codec on a
 * thread of its own while the command line is still being parsed.
 */
package dev.rcon.console.client;
