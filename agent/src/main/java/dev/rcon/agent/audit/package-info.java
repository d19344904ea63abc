/**
 * The audit trail: one JSON line per event (session opened or denied, command started and
 * ended, file put or got), each carrying the SHA-256 of the line before it, so that an edited
 * or deleted line breaks the chain; and the check that finds where a chain breaks.
 */
package dev.rcon.agent.audit;
