package dev.rcon.agent.net;

import dev.rcon.agent.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels a session has in flight, by request id, and those whose id is already free but
 * whose last record may still be on its way: teardown waits for both, so a close never
 * overtakes a last record (a console may reuse an id as soon as it hears the end, so the id goes
 * first).
 */
final class ChannelRegistry {
    private final Map<Integer, Channel> open = new ConcurrentHashMap<>();
    /** Channels whose id is free, each with that id, until they said their last record. */
    private final Map<Channel, Integer> ending = new ConcurrentHashMap<>();

    boolean contains(int id) {
        return open.containsKey(id);
    }

    int size() {
        return open.size();
    }

    void add(int id, Channel channel) {
        open.put(id, channel);
        forgetEnded();
    }

    /** The channel of {@code id}, or null if none is in flight (it may just have ended). */
    Channel get(int id) {
        return open.get(id);
    }

    /** Frees {@code id}; the channel is still waited for until it has said its last record. */
    void remove(int id, Channel channel) {
        if (open.remove(id, channel)) {
            ending.put(channel, id);
        }
    }

    /** Whether a channel that had {@code id} has freed it but not yet said its last record. */
    boolean isEnding(int id) {
        forgetEnded();
        return ending.containsValue(id);
    }

    /** A snapshot, for teardown: every channel in flight or still saying its last record. */
    List<Channel> all() {
        forgetEnded();
        List<Channel> all = new ArrayList<>(open.values());
        all.addAll(ending.keySet());
        return all;
    }

    private void forgetEnded() {
        ending.keySet().removeIf(Channel::hasEnded);
    }
}
