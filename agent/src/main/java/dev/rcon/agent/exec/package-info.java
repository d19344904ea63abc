/**
 * Running commands: each in a process group of its own (through {@code setsid}), with one
 * blocking pump per stream, a waiter for its exit, and signals, timeouts and teardown delivered
 * to the whole group so that no grandchild outlives its session.
 */
package dev.rcon.agent.exec;
