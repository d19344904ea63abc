/** The agent's immutable, validated configuration and the address syntax it is written in. */
package dev.rcon.agent.config;
