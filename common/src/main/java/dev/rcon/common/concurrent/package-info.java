/**
 * The one place that makes threads, so that every thread has a name and is a daemon: threads of
 * their own ({@link dev.rcon.common.concurrent.Threads}) and threads kept for the next named task
 * ({@link dev.rcon.common.concurrent.TaskThreads}).
 */
package dev.rcon.common.concurrent;
