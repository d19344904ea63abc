/** Writing a received file safely, the same way on the agent (put) and the console (get). */
package dev.rcon.common.files;
