package dev.rcon.agent.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rcon.agent.AgentMain;
import dev.rcon.agent.testkit.TestAgent;
import dev.rcon.agent.testkit.TestClient;
import dev.rcon.agent.testkit.TestKeys;
import dev.rcon.common.auth.AuthenticationException;
import dev.rcon.common.msg.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail: what a real agent records, and that an edit or a deletion breaks the chain. */
@Timeout(30)
class AuditTrailTest {
    @TempDir
    Path dir;

    /** Runs a session, a denied login and a command; returns the trail's lines once written. */
    private List<String> aSessionsTrail() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.run(new Exec(1, "echo hi", null, "/tmp", Map.of("SECRET", "hunter2"), null, null));
            try {
                TestClient.connect(agent.port(), TestKeys.fresh("stranger"));
            } catch (AuthenticationException expected) {
                // Denied, and recorded.
            }
            client.close();
            agent.agent().close();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trail)));
        return Files.readAllLines(trail);
    }

    @Test
    void sessionsCommandsAndDenialsAreRecordedWithoutEnvValues() throws Exception {
        List<String> lines = aSessionsTrail();
        ObjectMapper mapper = new ObjectMapper();
        List<String> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = mapper.readTree(line);
            events.add(node.path("event").asText());
            assertEquals(64, node.path("prev").asText().length(), line);
        }
        assertTrue(events.containsAll(List.of("session_opened", "command_started", "command_ended", "session_denied")),
                events.toString());
        String all = String.join("\n", lines);
        assertTrue(all.contains("\"command\":\"echo hi\""), all);
        assertTrue(all.contains("\"cwd\":\"/tmp\""), all);
        assertFalse(all.contains("hunter2"), "an env value reached the audit trail: " + all);
        assertEquals(Optional.empty(), AuditVerifier.verify(List.of(dir.resolve("audit.jsonl"))));
    }

    @Test
    void anEditedLineBreaksTheChainAtTheLineAfterIt() throws Exception {
        List<String> lines = new ArrayList<>(aSessionsTrail());
        lines.set(1, lines.get(1).replace("echo hi", "echo ho"));
        Path edited = Files.write(dir.resolve("edited.jsonl"), lines);
        Optional<String> broken = AuditVerifier.verify(List.of(edited));
        assertTrue(broken.isPresent());
        assertTrue(broken.get().startsWith(edited + ":3: the chain breaks here"), broken.get());
    }

    @Test
    void aDeletedLineBreaksTheChainWhereItWas() throws Exception {
        List<String> lines = new ArrayList<>(aSessionsTrail());
        lines.remove(1);
        Path cut = Files.write(dir.resolve("cut.jsonl"), lines);
        assertTrue(AuditVerifier.verify(List.of(cut)).orElseThrow().startsWith(cut + ":2: the chain breaks here"));
    }

    @Test
    void aRotatedSeriesVerifiesAcrossFilesAndTheCommandSaysWhere() throws Exception {
        List<String> lines = aSessionsTrail();
        Path older = Files.write(dir.resolve("audit.jsonl.1"), lines.subList(0, 2));
        Path newer = Files.write(dir.resolve("audit.jsonl.2"), lines.subList(2, lines.size()));
        assertEquals(Optional.empty(), AuditVerifier.verify(List.of(older, newer)));
        assertEquals(0, AgentMain.run("audit", "verify", older.toString(), newer.toString()));
        assertEquals(1, AgentMain.run("audit", "verify", newer.toString(), older.toString()));
    }

    @Test
    void aTrailMovedAwayIsContinuedInANewFile() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.run(Exec.shell(1, "true"));
            Path rotated = dir.resolve("audit.jsonl.1");
            assertTrue(agent.agent().audit().flush(java.time.Duration.ofSeconds(10)));
            Files.move(trail, rotated);
            client.run(Exec.shell(2, "true"));
            assertTrue(agent.agent().audit().flush(java.time.Duration.ofSeconds(10)));
            assertTrue(Files.readAllLines(trail).size() >= 2, Files.readString(trail));
            assertEquals(Optional.empty(), AuditVerifier.verify(List.of(rotated, trail)));
        }
    }

    /**
     * While the trail cannot be written (a full disk, here a directory in its place), every
     * event lost is counted in the next line's dropped_before. The writer put the count it
     * carried into the first line of a batch and forgot it when that batch failed too, so
     * after two failed writes in a row the trail said 2 events were missing when 4 were.
     */
    @Test
    void eventsLostOverSeveralFailedWritesAreAllCountedInTheNextLine() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            AuditLog audit = agent.agent().audit();
            assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
            int before = Files.readAllLines(trail).size();
            client.run(Exec.shell(1, "true"));
            assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
            int perCommand = Files.readAllLines(trail).size() - before;
            Files.move(trail, dir.resolve("audit.jsonl.1"));
            Files.createDirectory(trail);
            client.run(Exec.shell(2, "true"));
            assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
            client.run(Exec.shell(3, "true"));
            assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
            Files.delete(trail);
            client.run(Exec.shell(4, "true"));
            assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
            String first = Files.readAllLines(trail).get(0);
            assertTrue(first.contains("\"dropped_before\":" + 2 * perCommand + ","),
                    "2 commands of " + perCommand + " events each were lost, but the next line says: " + first);
        }
    }

    /**
     * A full disk: the write of a batch stopped part-way through a line, and the next line was
     * appended to that part, so the trail held a line that is not JSON and failed verification
     * as if someone had edited it. What a failed write left is now cut off again, and the chain
     * goes on from the last whole line. (A tmpfs of 64 KiB, filled, so the trail can only grow
     * to the end of its page; needs root to mount it.)
     */
    @Test
    void aWriteThatTheFullDiskCutShortLeavesNoPartOfALineBehind() throws Exception {
        TestKeys.assumeRoot();
        Path tiny = Files.createDirectory(dir.resolve("tiny"));
        org.junit.jupiter.api.Assumptions.assumeTrue(command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                tiny.toString()) == 0, "skipped: cannot mount a tmpfs here");
        try {
            Path trail = tiny.resolve("audit.jsonl");
            try (TestAgent agent = TestAgent.start(dir, c -> c.withAuditFile(trail));
                 TestClient client = agent.connect()) {
                AuditLog audit = agent.agent().audit();
                assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
                long free = Files.getFileStore(tiny).getUsableSpace();
                Files.write(tiny.resolve("filler"), new byte[(int) free]);
                for (int id = 1; id <= 5; id++) {
                    client.run(Exec.shell(id, "echo " + "x".repeat(1000)));
                    assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
                }
                Files.delete(tiny.resolve("filler"));
                client.run(Exec.shell(6, "true"));
                assertTrue(audit.flush(java.time.Duration.ofSeconds(10)));
            }
            String all = Files.readString(trail);
            assertTrue(all.contains("\"dropped_before\""), "no write failed; the test proves nothing: " + all);
            assertEquals(Optional.empty(), AuditVerifier.verify(List.of(trail)));
        } finally {
            command("umount", tiny.toString());
        }
    }

    private static int command(String... argv) throws Exception {
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    @Test
    void argvAndAwkwardTextAreRecordedAsOneLineOfJsonThatReadsBack() throws Exception {
        Path trail = dir.resolve("audit.jsonl");
        List<String> argv = List.of("printf", "%s\n", "quote \" back\\slash", "new\nline", "\u00e9t\u00e9 \u2603", "\u0001");
        try (TestAgent agent = TestAgent.start(dir); TestClient client = agent.connect()) {
            client.run(new Exec(1, null, argv, null, null, null, null));
            assertTrue(agent.agent().audit().flush(java.time.Duration.ofSeconds(10)));
        }
        JsonNode started = null;
        for (String line : Files.readAllLines(trail)) {
            JsonNode node = new ObjectMapper().readTree(line);
            if (node.path("event").asText().equals("command_started")) {
                started = node;
            }
        }
        assertTrue(started != null, Files.readString(trail));
        List<String> recorded = new ArrayList<>();
        started.path("argv").forEach(element -> recorded.add(element.textValue()));
        assertEquals(argv, recorded);
        assertTrue(started.path("command").isMissingNode(), started.toString());
        assertEquals(Optional.empty(), AuditVerifier.verify(List.of(trail)));
    }

    @Test
    void aLineThatIsNotOneObjectWithOneStringPrevIsReported() throws Exception {
        String hash = "a".repeat(64);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("not json", "not a JSON line");
        cases.put("{\"prev\":\"" + hash + "\"", "not a JSON line");
        cases.put("{\"prev\":\"" + hash + "\",\"prev\":\"" + hash + "\"}", "not a JSON line");
        cases.put("{\"prev\":\"" + hash + "\"} {}", "not a JSON line");
        cases.put("[\"" + hash + "\"]", "has no prev hash");
        cases.put("{\"prev\":5}", "has no prev hash");
        cases.put("{\"x\":{\"prev\":\"" + hash + "\"}}", "has no prev hash");
        cases.put("", "has no prev hash");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = Files.writeString(dir.resolve("odd.jsonl"), c.getKey() + "\n");
            assertEquals(Optional.of(file + ":1: " + c.getValue()), AuditVerifier.verify(List.of(file)), c.getKey());
        }
    }

    @Test
    void aFileThatCannotBeReadOrIsNotUtf8IsNamedInOneLine() throws Exception {
        Path missing = dir.resolve("missing.jsonl");
        assertEquals(Optional.of(missing + ": no such file"), AuditVerifier.verify(List.of(missing)));
        Path binary = Files.write(dir.resolve("binary.jsonl"),
                new byte[] {'{', '"', 'p', 'r', 'e', 'v', '"', ':', '"', (byte) 0xff, '"', '}', '\n'});
        assertEquals(Optional.of(binary + ":1: not UTF-8 text at or after this line"), AuditVerifier.verify(List.of(binary)));
        // Opening a directory works; its first read fails with an IOException that names no file.
        assertEquals(Optional.of(dir + ": Is a directory"), AuditVerifier.verify(List.of(dir)));
    }
}
