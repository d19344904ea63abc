/**
 * Shared test helpers, also used by the console's tests through this module's test-jar: keys,
 * an in-process agent on 127.0.0.1 port 0, a real agent process (and the class path of jars a
 * class-data archive needs), a low-level client that can send exactly the bytes a test wants,
 * and the project's systemd unit read as systemd merges it.
 */
package dev.rcon.agent.testkit;
