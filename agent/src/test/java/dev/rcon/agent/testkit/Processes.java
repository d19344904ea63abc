package dev.rcon.agent.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Checks on processes the tests did not start themselves (remote commands, grandchildren). */
public final class Processes {
    private Processes() {
    }

    /** Waits up to 20 s for process {@code pid} to end, then asserts it has. */
    public static void assertGone(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(20, TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " survived");
    }
}
