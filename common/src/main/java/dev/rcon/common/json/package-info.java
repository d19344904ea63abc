/**
 * JSON as plain Java values (maps, lists, strings, numbers, booleans, null) read and written with
 * jackson-core's streaming parser and generator. The agent's configuration file, its audit trail
 * and the wire codec use this instead of databind, whose ObjectMapper cost a one-shot console a
 * fifth of its start and an idle agent about 12 MB of resident memory (bench/README.md).
 */
package dev.rcon.common.json;
