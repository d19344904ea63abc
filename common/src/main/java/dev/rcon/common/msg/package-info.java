/**
 * The messages of rcon/1 section 4: a sealed {@link dev.rcon.common.msg.Message} with one record
 * per wire type, the {@link dev.rcon.common.msg.MessageType} enum that names them, and the strict
 * JSON codec for record headers. Records validate their fields in their constructors, so a
 * message that exists is a message the protocol allows.
 */
package dev.rcon.common.msg;
