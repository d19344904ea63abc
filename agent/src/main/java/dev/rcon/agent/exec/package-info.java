/**
 * Running commands. {@link dev.rcon.agent.exec.ExecChannel} is one {@code exec}: a process
 * started through a {@link dev.rcon.agent.exec.Launcher}, on three pipes
 * ({@link dev.rcon.agent.exec.PipeLauncher}) or on a pseudo-terminal of its own
 * ({@link dev.rcon.agent.exec.PtyLauncher}, for a request with {@code pty}), both built by the
 * one {@link dev.rcon.agent.exec.Spawner}. The command leads a session and process group of its
 * own, with one blocking pump per output stream, a stdin writer that exists only while bytes
 * wait, and signals, timeouts and teardown delivered to the whole group (on a terminal, every
 * group of its session) so that no grandchild outlives its session.
 */
package dev.rcon.agent.exec;
