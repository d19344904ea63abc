package dev.rcon.agent.net;

import dev.rcon.common.wire.Limits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes fuzz cases for {@link WireFuzzTest} from a seeded random source: a valid request that
 * opens channel 1 (or none), then one record built from a valid template of some message type
 * and mutated where a codec is most likely to slip: fields dropped or doubled, values of the
 * wrong kind or at the edges of their range, unknown fields and types, deep nesting, and at the
 * byte level NUL, invalid UTF-8, truncation and trailing garbage.
 */
final class HeaderMutator {
    /** One case: the records to send, each a header and a payload. */
    record Case(String name, List<byte[][]> records) {
        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(name);
            for (byte[][] r : records) {
                String header = new String(r[0], StandardCharsets.UTF_8);
                text.append("\n  ").append(header.length() > 300 ? header.substring(0, 300) + "..." : header)
                        .append(" +").append(r[1].length).append(" bytes");
            }
            return text.toString();
        }
    }

    private static final String[] EDGE_VALUES = {
        "0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1.0", "1e3", "-0",
        "0.5", "1E400", "\"1\"", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "null", "true", "false", "[]", "{}",
        "[1]", "[\"a\",null]", "{\"a\":null}", "{\"\":\"\"}", "\"/\"", "\"/nonexistent/dir/x\"",
        "\"/..\"", "\"relative\"", "\"0777\"", "\"7777\"", "\"KILL\"", "\"kill\"", "\"STOP\"",
        "\"xterm\"", "\"../../etc\"", "\"a=b\"",
    };
    private static final String[] TYPES = {
        "exec", "stdin", "signal", "resize", "put", "data", "get", "window", "ping", "pong", "close", "keys",
        "hello", "started", "stdout", "stderr", "exit", "file", "done", "error", "key_list", "EXEC", "", "nope",
    };

    /** Stands for a string value that fills the header to its limit. */
    private static final String FILL = "\u0001FILL\u0001";

    private final Random random;
    private final Path dir;
    private int serial;

    HeaderMutator(Random random, Path dir) {
        this.random = random;
        this.dir = dir;
    }

    Case next() {
        serial++;
        List<byte[][]> records = new ArrayList<>();
        String setup = setup(records);
        List<String[]> fields = template();
        String type = fields.get(0)[1];
        int mutations = 1 + random.nextInt(3);
        StringBuilder name = new StringBuilder("#" + serial + " after " + setup + ": " + type);
        for (int i = 0; i < mutations; i++) {
            name.append(' ').append(mutateFields(fields));
        }
        byte[] header = json(fields).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(4) == 0) {
            String how = mutateBytes(header);
            name.append(' ').append(how);
            header = lastBytes;
        }
        if (header.length > Limits.MAX_HEADER) {
            // Two long values: the record as the writer can still send it, cut (so malformed).
            header = java.util.Arrays.copyOf(header, Limits.MAX_HEADER);
        }
        byte[] payload = random.nextInt(5) == 0 ? new byte[1 + random.nextInt(4096)] : new byte[0];
        records.add(new byte[][] {header, payload});
        return new Case(name.toString(), records);
    }

    /** A valid request for channel 1, or none; named for the case's description. */
    private String setup(List<byte[][]> records) {
        String put = dir.resolve("put-" + serial).toString();
        String[] setups = {
            null,
            "{\"type\":\"exec\",\"id\":1,\"command\":\"cat\",\"stdin\":true}",
            "{\"type\":\"exec\",\"id\":1,\"command\":\"cat\",\"pty\":{\"term\":\"xterm\",\"cols\":80,\"rows\":24}}",
            "{\"type\":\"exec\",\"id\":1,\"argv\":[\"sleep\",\"5\"]}",
            "{\"type\":\"put\",\"id\":1,\"path\":\"" + put + "\",\"size\":10,\"mode\":\"0600\"}",
            "{\"type\":\"get\",\"id\":1,\"path\":\"" + dir.resolve("source") + "\"}",
        };
        String chosen = setups[random.nextInt(setups.length)];
        if (chosen == null) {
            return "nothing";
        }
        records.add(new byte[][] {chosen.getBytes(StandardCharsets.UTF_8), new byte[0]});
        return chosen.substring(9, chosen.indexOf('"', 9));
    }

    /** A valid record of a random type, mostly for channel 1, as ordered name/value pairs. */
    private List<String[]> template() {
        String id = random.nextInt(4) == 0 ? "2" : "1";
        String path = "\"" + dir.resolve("t-" + serial) + "\"";
        String[][] chosen = switch (random.nextInt(12)) {
            case 0 -> new String[][] {{"type", "\"exec\""}, {"id", id}, {"argv", "[\"echo\",\"fuzz\"]"},
                {"cwd", "\"/\""}, {"env", "{\"A\":\"b\"}"}, {"timeout_ms", "5000"}, {"stdin", "true"}};
            case 1 -> new String[][] {{"type", "\"exec\""}, {"id", id}, {"command", "\"echo fuzz\""},
                {"pty", "{\"term\":\"xterm\",\"cols\":80,\"rows\":24}"}};
            case 2 -> new String[][] {{"type", "\"stdin\""}, {"id", id}, {"eof", "true"}};
            case 3 -> new String[][] {{"type", "\"signal\""}, {"id", id}, {"signal", "\"TERM\""}};
            case 4 -> new String[][] {{"type", "\"resize\""}, {"id", id}, {"cols", "100"}, {"rows", "40"}};
            case 5 -> new String[][] {{"type", "\"put\""}, {"id", id}, {"path", path}, {"size", "3"},
                {"mode", "\"0644\""}};
            case 6 -> new String[][] {{"type", "\"data\""}, {"id", id}, {"eof", "true"},
                {"sha256", "\"" + "ab".repeat(32) + "\""}};
            case 7 -> new String[][] {{"type", "\"get\""}, {"id", id}, {"path", path}};
            case 8 -> new String[][] {{"type", "\"window\""}, {"id", id}, {"bytes", "65536"}};
            case 9 -> new String[][] {{"type", "\"keys\""}, {"id", id}, {"op", "\"list\""}};
            case 10 -> new String[][] {{"type", "\"ping\""}, {"id", id}};
            default -> new String[][] {{"type", "\"" + TYPES[random.nextInt(TYPES.length)] + "\""}, {"id", id},
                {"pid", "12"}, {"code", "0"}};
        };
        List<String[]> fields = new ArrayList<>();
        for (String[] f : chosen) {
            fields.add(f.clone());
        }
        return fields;
    }

    private String mutateFields(List<String[]> fields) {
        if (fields.isEmpty()) {
            return "(nothing left)";
        }
        int at = random.nextInt(fields.size());
        switch (random.nextInt(9)) {
            case 0 -> {
                fields.remove(at);
                return "drop";
            }
            case 1 -> {
                fields.add(random.nextInt(fields.size() + 1), fields.get(at).clone());
                return "duplicate " + fields.get(at)[0];
            }
            case 2, 3, 4 -> {
                fields.get(at)[1] = EDGE_VALUES[random.nextInt(EDGE_VALUES.length)];
                return fields.get(at)[0] + "=" + fields.get(at)[1];
            }
            case 5 -> {
                fields.get(at)[1] = "\"" + fields.get(at)[1].replace("\"", "") + "\"";
                return "quoted " + fields.get(at)[0];
            }
            case 6 -> {
                int depth = 2 + random.nextInt(30);
                fields.get(at)[1] = "[".repeat(depth) + "]".repeat(depth);
                return "nested " + depth;
            }
            case 7 -> {
                fields.add(new String[] {random.nextBoolean() ? "extra" : "ID", "1"});
                return "unknown field";
            }
            default -> {
                // Half the time as long as the header allows: whatever quotes it must still fit.
                fields.get(at)[1] = random.nextBoolean() ? FILL : "\"" + "x".repeat(1 + random.nextInt(12_000)) + "\"";
                return "long " + fields.get(at)[0];
            }
        }
    }

    private byte[] lastBytes;

    /** A byte-level change of the header; the result is left in {@link #lastBytes}. */
    private String mutateBytes(byte[] header) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = header.length == 0 ? 0 : random.nextInt(header.length);
        String how;
        switch (random.nextInt(6)) {
            case 0 -> {
                out.write(header, 0, at);
                how = "truncated at " + at;
            }
            case 1 -> {
                out.write(header, 0, at);
                out.write(0);
                out.write(header, at, header.length - at);
                how = "NUL at " + at;
            }
            case 2 -> {
                out.write(header, 0, at);
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0,
                    (byte) 0x80});
                out.write(header, at, header.length - at);
                how = "invalid UTF-8 at " + at;
            }
            case 3 -> {
                out.writeBytes(header);
                out.writeBytes(random.nextBoolean() ? "{}".getBytes(StandardCharsets.UTF_8)
                        : " x".getBytes(StandardCharsets.UTF_8));
                how = "trailing garbage";
            }
            case 4 -> {
                out.write('[');
                out.writeBytes(header);
                out.write(']');
                how = "in an array";
            }
            default -> {
                how = "empty header";
                out.write(' ');
            }
        }
        lastBytes = out.toByteArray();
        return how;
    }

    /** The fields as one object; a {@link #FILL} value takes what is left of the header (the first one all of it). */
    private static String json(List<String[]> fields) {
        StringBuilder out = new StringBuilder("{");
        for (String[] f : fields) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(f[0]).append("\":").append(f[1]);
        }
        String text = out.append('}').toString();
        int fill = text.indexOf(FILL);
        if (fill < 0) {
            return text;
        }
        String rest = text.substring(fill + FILL.length()).replace(FILL, "\"\"");
        int room = Math.max(1, Limits.MAX_HEADER - fill - rest.length() - 2);
        return text.substring(0, fill) + "\"" + "x".repeat(room) + "\"" + rest;
    }
}
