/**
 * Running commands. {@link dev.rcon.agent.exec.ExecChannel} is one {@code exec}: a process
 * started through a {@link dev.rcon.agent.exec.Launcher} (on pipes, or on a pseudo-terminal of
 * its own), leading a session and process group of its own and, where the agent may make one, a
 * cgroup of its own ({@link dev.rcon.agent.exec.CommandScope}); with one blocking pump per output
 * stream ({@link dev.rcon.agent.exec.OutputPump}), a stdin writer that exists only while bytes
 * wait, and signals, timeouts and teardown delivered to every process of the command, so that no
 * grandchild outlives its session, not even one that left the process group. Every launcher builds its argv in one place, the
 * spawner, which keeps what a root program would act on away from the programs that run before a
 * key's user is dropped to, and which takes the process's pipes out of the JDK's streams
 * ({@link dev.rcon.agent.exec.ProcessPipes}) so that its reaper never drains or waits on them.
 * Once a session has authenticated, {@code JoinPrimer} keeps the kernel's lock for cgroup joins
 * warm, so that its first command's join does not wait out an RCU grace period.
 */
package dev.rcon.agent.exec;
