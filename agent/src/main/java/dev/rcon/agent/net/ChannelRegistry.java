package dev.rcon.agent.net;

import dev.rcon.agent.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The channels a session has in flight, by request id. */
final class ChannelRegistry {
    private final Map<Integer, Channel> open = new ConcurrentHashMap<>();

    boolean contains(int id) {
        return open.containsKey(id);
    }

    int size() {
        return open.size();
    }

    void add(int id, Channel channel) {
        open.put(id, channel);
    }

    /** The channel of {@code id}, or null if none is in flight (it may just have ended). */
    Channel get(int id) {
        return open.get(id);
    }

    void remove(int id, Channel channel) {
        open.remove(id, channel);
    }

    /** A snapshot, for teardown. */
    List<Channel> all() {
        return List.copyOf(open.values());
    }
}
