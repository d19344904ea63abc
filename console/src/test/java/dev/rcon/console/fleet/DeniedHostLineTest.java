package dev.rcon.console.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.agent.testkit.AgentExtension;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.console.testkit.ConsoleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A host that denies the key gets one line that says "denied" once, as docs/FLEET.md shows it. */
@Timeout(60)
class DeniedHostLineTest {
    @RegisterExtension
    final AgentExtension agent = new AgentExtension();

    @Test
    void aDenyingHostsLineSaysDeniedOnce() throws Exception {
        Path other = TestKeys.keyFile(Files.createDirectory(agent.dir().resolve("other")), TestKeys.fresh("stranger"));
        ConsoleRun run = ConsoleRun.run(agent.dir(), "", "--key", other.toString(), "-H", agent.address(), "--", "true");
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(agent.address() + "!: [denied: the agent does not accept key 'stranger'"), run.err());
        assertFalse(run.err().contains("denied: denied"), run.err());
    }

    @Test
    void aDenyingHostsTimingSaysHowLongItsConnectTook() throws Exception {
        Path other = TestKeys.keyFile(Files.createDirectory(agent.dir().resolve("other")), TestKeys.fresh("stranger"));
        ConsoleRun run = ConsoleRun.run(agent.dir(), "", "--key", other.toString(), "-H", agent.address(), "--json",
                "--", "true");
        assertEquals(2, run.status(), run.err());
        JsonNode failed = new ObjectMapper().readTree(run.out().lines().filter(l -> l.contains("\"failed\"")).findFirst()
                .orElseThrow(() -> new AssertionError(run.out())));
        assertEquals("denied", failed.get("status").asText(), failed.toString());
        JsonNode timing = failed.get("timing");
        assertTrue(timing.get("connect_ms").isIntegralNumber() && timing.get("connect_ms").asLong() >= 0, failed.toString());
        assertTrue(timing.get("auth_ms").isNull() && timing.get("first_byte_ms").isNull(), failed.toString());
    }
}
