package dev.rcon.console.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rcon.common.files.Utf8;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Base64;

/**
 * {@code --json}: one JSON object per line on stdout for every event, so that {@code jq} can
 * consume a run. The schema is in docs/FLEET.md: {@code started}, {@code stdout}, {@code stderr},
 * {@code done}, {@code failed}, {@code not_started} and a final {@code summary}.
 */
public final class JsonOutput implements FleetOutput {
    private final Screen screen;
    private final ObjectMapper mapper = new ObjectMapper();

    public JsonOutput(Screen screen) {
        this.screen = screen;
    }

    private ObjectNode event(String type, String host) {
        ObjectNode node = mapper.createObjectNode();
        node.put("event", type);
        if (host != null) {
            node.put("host", host);
        }
        node.put("time_ms", System.currentTimeMillis());
        return node;
    }

    private void emit(ObjectNode node) throws IOException {
        byte[] line = mapper.writeValueAsBytes(node);
        byte[] whole = new byte[line.length + 1];
        System.arraycopy(line, 0, whole, 0, line.length);
        whole[line.length] = '\n';
        screen.out(whole);
    }

    @Override
    public void started(String host, long pid) throws IOException {
        emit(event("started", host).put("pid", pid));
    }

    @Override
    public void stdout(String host, byte[] bytes) throws IOException {
        emit(data(event("stdout", host), bytes));
    }

    @Override
    public void stderr(String host, byte[] bytes) throws IOException {
        emit(data(event("stderr", host), bytes));
    }

    /** Text as {@code data} when the chunk is valid UTF-8, else {@code data_base64}. */
    private static ObjectNode data(ObjectNode node, byte[] bytes) {
        try {
            return node.put("data", Utf8.strict(bytes));
        } catch (CharacterCodingException e) {
            return node.put("data_base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    @Override
    public void done(HostResult r) throws IOException {
        if (r.exit() != null) {
            ObjectNode node = event("done", r.host());
            node.put("status", r.outcome().name().toLowerCase());
            if (r.exit().code() != null) {
                node.put("code", r.exit().code());
            } else {
                node.putNull("code");
            }
            node.put("signal", r.exit().signal());
            node.put("timed_out", r.exit().timedOut());
            node.put("duration_ms", r.durationMs());
            node.put("stdout_bytes", r.exit().stdoutBytes());
            node.put("stderr_bytes", r.exit().stderrBytes());
            timing(node, r.timing());
            emit(node);
        } else if (r.outcome() == Outcome.NOT_STARTED) {
            emit(event("not_started", r.host()));
        } else {
            // Without an exit, ok or failed is a copy that reached its agent: it ended, as a command does.
            boolean copyEnded = r.outcome() == Outcome.OK || r.outcome() == Outcome.FAILED;
            emit(timing(event(copyEnded ? "done" : "failed", r.host()).put("status", r.outcome().name().toLowerCase())
                    .put("message", r.message()).put("duration_ms", r.durationMs()), r.timing()));
        }
    }

    /** The phases of the host's time; a phase it never reached is null. */
    private static ObjectNode timing(ObjectNode node, HostTiming t) {
        ObjectNode timing = node.putObject("timing");
        phase(timing, "connect_ms", t.connectMs());
        phase(timing, "auth_ms", t.authMs());
        phase(timing, "first_byte_ms", t.firstByteMs());
        phase(timing, "total_ms", t.totalMs());
        return node;
    }

    private static void phase(ObjectNode timing, String name, long ms) {
        if (ms >= 0) {
            timing.put(name, ms);
        } else {
            timing.putNull(name);
        }
    }

    @Override
    public void finish(Summary summary) throws IOException {
        ObjectNode node = event("summary", null);
        node.put("hosts", summary.results().size());
        summary.counts().forEach((outcome, n) -> node.put(outcome.name().toLowerCase(), n));
        node.put("exit_status", summary.exitStatus());
        node.put("duration_ms", summary.durationMs());
        emit(node);
    }
}
