/** The one place that makes threads, so that every thread has a name and is a daemon. */
package dev.rcon.common.concurrent;
