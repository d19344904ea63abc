/**
 * Shared test helpers, also used by the console's tests through this module's test-jar: keys,
 * an in-process agent on 127.0.0.1 port 0, a real agent process, and a low-level client that
 * can send exactly the bytes a test wants.
 */
package dev.rcon.agent.testkit;
