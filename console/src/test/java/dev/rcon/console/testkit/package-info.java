/** Helpers for console tests: run the whole console in-process, or as a real process. */
package dev.rcon.console.testkit;
