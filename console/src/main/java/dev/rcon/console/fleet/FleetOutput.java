package dev.rcon.console.fleet;

import java.io.IOException;
import java.util.List;

/**
 * Where a fleet run's events go. Called from many threads at once; output from one host
 * arrives in order. Implementations write through a {@link Screen} so that writes never
 * interleave.
 */
public interface FleetOutput {
    /**
     * What the host is called (as written, the address dialed, its label, and once it is connected
     * the hostname its agent reported), for outputs that match them: told before connecting, so
     * that a host that never ran is named too, and again once connected.
     */
    default void connected(String host, List<String> names) {
    }

    default void started(String host, long pid) throws IOException {
    }

    void stdout(String host, byte[] bytes) throws IOException;

    void stderr(String host, byte[] bytes) throws IOException;

    void done(HostResult result) throws IOException;

    default void finish(Summary summary) throws IOException {
    }

    /** Every event to each of {@code outputs}, in order. */
    static FleetOutput all(List<FleetOutput> outputs) {
        return new FleetOutput() {
            @Override
            public void connected(String host, List<String> names) {
                for (FleetOutput o : outputs) {
                    o.connected(host, names);
                }
            }

            @Override
            public void started(String host, long pid) throws IOException {
                for (FleetOutput o : outputs) {
                    o.started(host, pid);
                }
            }

            @Override
            public void stdout(String host, byte[] bytes) throws IOException {
                for (FleetOutput o : outputs) {
                    o.stdout(host, bytes);
                }
            }

            @Override
            public void stderr(String host, byte[] bytes) throws IOException {
                for (FleetOutput o : outputs) {
                    o.stderr(host, bytes);
                }
            }

            @Override
            public void done(HostResult result) throws IOException {
                for (FleetOutput o : outputs) {
                    o.done(result);
                }
            }

            @Override
            public void finish(Summary summary) throws IOException {
                for (FleetOutput o : outputs) {
                    o.finish(summary);
                }
            }
        };
    }
}
