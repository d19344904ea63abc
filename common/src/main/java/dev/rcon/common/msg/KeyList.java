package dev.rcon.common.msg;

import java.util.List;

/**
 * Agent to console, answering {@link Keys}: every authorized key after the request, in file
 * order, by kid, name and options; never a psk.
 */
public record KeyList(Integer id, List<Entry> keys) implements Message {

    public KeyList {
        Message.checkId(id);
        if (keys == null) {
            throw new IllegalArgumentException("missing field 'keys'");
        }
        keys = List.copyOf(keys);
    }

    /**
     * One authorized key.
     *
     * @param kid the key id in lowercase hex
     * @param name the key's name
     * @param options its options as written, empty for none
     */
    public record Entry(String kid, String name, String options) {
        public Entry {
            if (kid == null || name == null || options == null) {
                throw new IllegalArgumentException("a key entry needs 'kid', 'name' and 'options'");
            }
        }
    }

    @Override
    public Integer requestId() {
        return id;
    }

    @Override
    public MessageType type() {
        return MessageType.KEY_LIST;
    }
}
