package dev.rcon.console.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The head start a connecting console gives its session's cryptography and codec. */
@Timeout(30)
class SessionPreloadTest {
    @Test
    void everyStepOfAHandshakeAndARecordRunsOnThrowawayInputs() {
        assertDoesNotThrow(SessionPreload::run);
    }

    @Test
    void theBackgroundPreloadIsANamedDaemonThatEndsOnItsOwn() throws InterruptedException {
        Thread preload = SessionPreload.start();
        assertEquals("rcon-preload", preload.getName());
        assertTrue(preload.isDaemon(), "a daemon never holds up the console's exit");
        preload.join(20_000);
        assertFalse(preload.isAlive());
    }
}
