/**
 * Build-time tools for the Debian packages: {@link dev.rcon.packaging.Docs} writes the man pages
 * and the shell completion from the picocli command trees, so they are never written by hand.
 */
package dev.rcon.packaging;
