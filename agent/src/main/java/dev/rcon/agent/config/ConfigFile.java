package dev.rcon.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The agent's JSON configuration file ({@code /etc/rcon/agent.json}). Every field is optional;
 * an unknown field, a wrong type or a value out of range stops the agent with one line naming
 * the file, the field and the problem.
 */
public record ConfigFile(List<String> listen, String authorizedKeys, Integer maxSessions, Integer maxChannels,
                         Integer maxUnauthenticated, Integer maxUnauthenticatedPerPeer, Long handshakeTimeoutMs,
                         Long killGraceMs,
                         Long defaultCommandTimeoutMs, String cgroups) {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null, null);

    /**
     * Reads and checks {@code file}.
     *
     * @throws IllegalArgumentException naming the file, field and problem
     */
    public static ConfigFile read(Path file) throws IOException {
        try {
            if (java.nio.file.Files.exists(file) && java.nio.file.Files.readString(file).isBlank()) {
                throw new IllegalArgumentException("expected a JSON object but the file is empty");
            }
            ConfigFile config = MAPPER.readValue(file.toFile(), ConfigFile.class);
            if (config == null) {
                throw new IllegalArgumentException(file + ": expected a JSON object but the file is empty");
            }
            config.toAgentConfig(List.of(), null, null);
            return config;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ": unknown field '" + e.getPropertyName() + "' (known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (ValueInstantiationException e) {
            throw new IllegalArgumentException(file + ": " + e.getCause().getMessage());
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException parse) {
                throw new IllegalArgumentException(file + ": not valid JSON at line " + parse.getLocation().getLineNr()
                        + ": " + brief(parse.getOriginalMessage()));
            }
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new IllegalArgumentException(file + ": " + (field.isEmpty() ? "" : "field '" + field + "': ")
                    + brief(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + brief(e.getOriginalMessage()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Jackson's message without the source locations it appends. */
    private static String brief(String message) {
        String first = message == null ? "invalid" : message.lines().findFirst().orElse("invalid");
        int cut = first.indexOf(" (start marker");
        cut = cut >= 0 ? cut : first.indexOf(" at [Source");
        return cut >= 0 ? first.substring(0, cut) : first;
    }

    /**
     * This file's values over the defaults, with command-line values over both.
     *
     * @param cliListen addresses given on the command line, empty for none
     * @param cliKeys authorized keys given on the command line, or null
     * @param cliHandshakeMs handshake timeout given on the command line, or null
     */
    public AgentConfig toAgentConfig(List<HostPort> cliListen, Path cliKeys, Long cliHandshakeMs) {
        AgentConfig d = AgentConfig.defaults(List.of(new HostPort("0.0.0.0", AgentConfig.DEFAULT_PORT)),
                AgentConfig.DEFAULT_AUTHORIZED_KEYS);
        List<HostPort> addresses = !cliListen.isEmpty() ? cliListen
                : listen != null ? listen.stream().map(HostPort::parse).toList() : d.listen();
        Path keys = cliKeys != null ? cliKeys : authorizedKeys != null ? Path.of(authorizedKeys) : d.authorizedKeys();
        Long handshake = cliHandshakeMs != null ? cliHandshakeMs : handshakeTimeoutMs;
        return new AgentConfig(addresses, keys,
                maxSessions != null ? maxSessions : d.maxSessions(),
                maxChannels != null ? maxChannels : d.maxChannels(),
                maxUnauthenticated != null ? maxUnauthenticated : d.maxUnauthenticated(),
                maxUnauthenticatedPerPeer != null ? maxUnauthenticatedPerPeer : d.maxUnauthenticatedPerPeer(),
                handshake != null ? Duration.ofMillis(handshake) : d.handshakeTimeout(),
                killGraceMs != null ? Duration.ofMillis(killGraceMs) : d.killGrace(),
                defaultCommandTimeoutMs != null ? Duration.ofMillis(defaultCommandTimeoutMs) : d.defaultCommandTimeout(),
                cgroups != null ? AgentConfig.Cgroups.parse(cgroups) : d.cgroups());
    }
}
