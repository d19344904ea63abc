/**
 * Running commands. {@link dev.rcon.agent.exec.ExecChannel} is one {@code exec}: a process
 * started through a {@link dev.rcon.agent.exec.Launcher} (pipes now, a terminal later), leading
 * a process group of its own, with one blocking pump per output stream, a stdin writer that
 * exists only while bytes wait for the pipe, and signals, timeouts and teardown delivered to the
 * whole group so that no grandchild outlives its session.
 */
package dev.rcon.agent.exec;
