/**
 * The agent's immutable, validated configuration: one table of settings (JSON key, default,
 * limits), the JSON file that sets them and the address syntax listen addresses are written in.
 */
package dev.rcon.agent.config;
