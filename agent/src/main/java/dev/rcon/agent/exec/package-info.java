/**
 * Running commands: each in a process group of its own (through {@code setsid}) and, where the
 * agent may make one, in a cgroup of its own ({@link dev.rcon.agent.exec.CommandScope}); with one
 * blocking pump per stream, a waiter for its exit, and signals, timeouts and teardown delivered to
 * every process of the command so that no grandchild outlives its session, not even one that
 * left the process group.
 */
package dev.rcon.agent.exec;
