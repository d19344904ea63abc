package dev.rcon.agent.net;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Addresses whose handshakes keep failing, refused outright for a while (in the spirit of sshd's
 * PerSourcePenalties). Each failure adds one to the address's score, which drains at
 * {@code failures} per {@code penalty}: an address that fails now and then is never penalised,
 * and one whose score reaches {@code failures} is refused for {@code penalty}, with a clean
 * score after. Refusals do not prolong a penalty, so an address always gets its next chance.
 *
 * <p>Memory is bounded: at most {@code maxSources} addresses are remembered, the least recently
 * seen forgotten first. A penalised address that keeps knocking stays recent, so only quiet ones
 * are forgotten; addresses whose score has drained are dropped as soon as they are seen.
 */
final class Penalties {
    private final int failures;
    private final long penaltyNanos;
    private final Map<String, Tally> byAddress;

    private static final class Tally {
        double score;
        long updated;
        long until;
        boolean penalised;
    }

    Penalties(int failures, long penaltyNanos, int maxSources) {
        this.failures = failures;
        this.penaltyNanos = penaltyNanos;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tally> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** Nanoseconds {@code address} is still refused for at {@code now}; 0 when it is not. */
    synchronized long remaining(String address, long now) {
        Tally e = byAddress.get(address);
        if (e == null) {
            return 0;
        }
        if (e.penalised && now - e.until < 0) {
            return e.until - now;
        }
        e.penalised = false;
        drain(e, now);
        if (e.score == 0) {
            byAddress.remove(address);
        }
        return 0;
    }

    /** Counts a failed handshake from {@code address}; true when it starts a penalty. */
    synchronized boolean failed(String address, long now) {
        Tally e = byAddress.computeIfAbsent(address, k -> {
            Tally fresh = new Tally();
            fresh.updated = now;
            return fresh;
        });
        drain(e, now);
        e.score += 1;
        // Not "score >= failures": the score drains between failures, so the failures-th one in
        // quick succession leaves it just short of that.
        if (e.score <= failures - 1 || e.penalised && now - e.until < 0) {
            return false;
        }
        e.score = 0;
        e.penalised = true;
        e.until = now + penaltyNanos;
        return true;
    }

    private void drain(Tally e, long now) {
        e.score = Math.max(0, e.score - (double) (now - e.updated) * failures / penaltyNanos);
        e.updated = now;
    }

    /** Addresses remembered, for tests of the bound. */
    synchronized int size() {
        return byAddress.size();
    }
}
