/**
 * The agent's class-data archive: {@link dev.rcon.agent.archive.ClassArchive}, the unit's start
 * step that records one when the JVM or the jar changed, and {@code Training}, the one session whose
 * classes it records. Nothing here runs inside a serving agent.
 */
package dev.rcon.agent.archive;
