package dev.rcon.agent.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.rcon.common.files.FileErrors;
import dev.rcon.common.json.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The agent's JSON configuration file ({@code /etc/rcon/agent.json}): one object whose keys are
 * those of {@link AgentConfig#SETTINGS}, each optional. An unknown key, a wrong type or a value
 * out of range stops the agent with one line naming the file, the key and the problem.
 */
public final class ConfigFile {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Map<String, Setting<?>> BY_KEY = AgentConfig.SETTINGS.stream()
            .collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));

    private ConfigFile() {
    }

    /**
     * The settings in {@code file} over the defaults.
     *
     * @throws IllegalArgumentException {@code FILE: PROBLEM}, naming the key when one is at fault
     */
    public static AgentConfig read(Path file) {
        try {
            return parse(text(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Far above any real configuration, which is a few hundred bytes. */
    static final int MAX_BYTES = 1 << 20;

    private static String text(Path file) {
        // Read to a limit: --config /dev/zero (or a log named by mistake) read until the heap ran out.
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes; a configuration is a few lines");
            }
            return dev.rcon.common.files.Utf8.strict(bytes);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("permission denied");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("expected UTF-8 text but the file has other bytes");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + FileErrors.reason(e));
        }
    }

    /** The settings in JSON text {@code json} over the defaults; messages do not name a file. */
    static AgentConfig parse(String json) {
        if (json.isBlank()) {
            throw new IllegalArgumentException("expected a JSON object but the file is empty");
        }
        Object root;
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("expected a JSON object but the file is empty");
            }
            root = JsonValues.read(parser, first);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("expected one JSON object but more follows at line "
                        + parser.currentLocation().getLineNr());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + brief(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string", e);
        }
        if (!(root instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("expected a JSON object but got " + Setting.describe(root));
        }
        // Every value first, the record once: checks across fields see the file's values, not a mix.
        Map<Setting<?>, Object> values = AgentConfig.defaults().values();
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            Setting<?> setting = BY_KEY.get(field.getKey());
            if (setting == null) {
                throw new IllegalArgumentException("unknown field '" + field.getKey() + "' (known: "
                        + BY_KEY.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
            values.put(setting, setting.read(field.getValue()));
        }
        return AgentConfig.of(values);
    }

    /** Jackson's message without the source locations it appends. */
    private static String brief(String message) {
        String first = message == null ? "invalid" : message.lines().findFirst().orElse("invalid");
        int cut = first.indexOf(" (start marker");
        cut = cut >= 0 ? cut : first.indexOf(" at [Source");
        return cut >= 0 ? first.substring(0, cut) : first;
    }
}
