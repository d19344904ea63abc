/**
 * Flow control per channel and direction (RCON1.md section 4.1): the sender's view
 * ({@link dev.rcon.common.flow.SendWindow}, which blocks the producer while the window is empty)
 * and the receiver's ({@link dev.rcon.common.flow.ReceiveWindow}, which catches a peer that
 * overruns its window and decides when to grant more). Both sides of the protocol use them.
 */
package dev.rcon.common.flow;
